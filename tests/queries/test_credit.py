"""Credit grading against a real Neo4j: grades, restoration, person points, yellow list, CLI."""

from __future__ import annotations

import csv
import json
import subprocess
from datetime import date
from typing import Any

import pytest
from neo4j import Driver

from graph.db import read, write
from graph.settings import Settings
from queries.credit import compute_credit, list_credit, yellow_list
from tests.queries.test_credit_graph import build_graph

AS_OF = date(2026, 6, 30)
LATER = date(2026, 7, 31)
D = date
REG_FROM = D(2020, 1, 1)
EMP_FROM = D(2019, 1, 1)


def unit(uid: str, province: str, region: str, grade: str) -> dict[str, Any]:
    return {"unit_id": uid, "name": f"{uid}规划院", "province": province, "region": region, "grade": grade}


def person(pid: str, title: str = "工程师") -> dict[str, Any]:
    return {"person_id": pid, "name": f"人员{pid}", "title": title}


def reg(pid: str, uid: str, frm: date = REG_FROM, to: date | None = None) -> dict[str, Any]:
    return {"cert_no": f"C{pid}", "person_id": pid, "unit_id": uid, "valid_from": frm, "valid_to": to}


def emp(pid: str, uid: str, start: date = EMP_FROM, end: date | None = None) -> dict[str, Any]:
    return {"person_id": pid, "unit_id": uid, "start_date": start, "end_date": end, "position": "规划师"}


def proj(jid: str, uid: str, level: str, start: date, end: date | None = None) -> dict[str, Any]:
    return {"project_id": jid, "name": f"{jid}国土空间规划", "level": level, "lead_unit_id": uid,
            "province": "浙江", "city": "杭州", "county": "西湖区", "start_date": start, "end_date": end, "status": "编制中"}


def viol(vid: str, stype: str, sid: str, severity: str, decided: date, points: int | None = None) -> dict[str, Any]:
    return {"violation_id": vid, "subject_type": stype, "subject_id": sid, "category": "挂证", "severity": severity,
            "decided": decided, "points": points, "authority": "省自然资源厅", "penalty": "警告"}


DATA: dict[str, list[dict[str, Any]]] = {
    "units": [unit("U1", "北京", "华北", "甲级"), unit("U2", "浙江", "华东", "乙级"), unit("U3", "广东", "华南", "无"),
              unit("U4", "浙江", "华东", "乙级"), unit("U5", "浙江", "华东", "乙级"),
              # A government office in units.csv is not a planning unit: not graded (a stale grade is removed).
              {**unit("G1", "浙江", "华东", "无"), "unit_type": "机关", "credit_grade": "A", "credit_index": 99.0}],
    "persons": [person("P1", "正高级工程师"), person("P2", "高级工程师"), person("P3"), person("P4", "高级工程师"),
                person("P5"), person("P6"), person("P7"), person("P8"), person("P9", "高级规划师")],
    "registrations": [reg("P1", "U1"), reg("P2", "U1"), reg("P3", "U1"), reg("P4", "U2"),
                      reg("P5", "U2", to=D(2025, 12, 31)), reg("P6", "U3"), reg("P7", "U4"), reg("P8", "U5")],
    "employments": [emp("P1", "U1"), emp("P2", "U1"), emp("P3", "U1"), emp("P4", "U2"), emp("P6", "U3"),
                    emp("P9", "U2", end=D(2025, 1, 1))],  # P9 left U2: not senior staff any more
    "projects": [proj("J1", "U1", "省级", D(2025, 3, 1), D(2025, 12, 1)), proj("J2", "U1", "市级", D(2024, 1, 1)),
                 proj("J3", "U2", "县级", D(2025, 5, 1)), proj("J4", "U3", "乡镇级", D(2025, 6, 1)),
                 proj("J5", "U4", "省级", D(2019, 1, 1), D(2022, 12, 31))],  # outside the 3-year window
    "awards": [{"award_id": "W1", "name": "全国优秀国土空间规划设计奖", "level": "一等奖", "year": 2025,
                "unit_id": "U1", "person_ids": ["P1"]}],
    "violations": [viol("V1", "单位", "U3", "严重", D(2026, 1, 1), 30),
                   viol("V2", "单位", "U4", "轻微", D(2026, 2, 28)),      # 4 months old on AS_OF: restored
                   viol("V3", "单位", "U5", "轻微", D(2026, 4, 30)),      # 2 months old: still deducts
                   viol("V4", "个人", "P4", "一般", D(2026, 1, 15), 4)],
    "alerts": [{"alert_id": "A1", "rule": "CL1", "severity": "high", "status": "open", "unit_ids": ["U3"], "person_ids": ["P6"]},
               {"alert_id": "A2", "rule": "LK2", "severity": "medium", "status": "open", "unit_ids": ["U2", "U4"]}],
}


@pytest.fixture(scope="module")
def graph(db: Driver, settings: Settings) -> Driver:
    build_graph(db, settings, DATA)
    return db


@pytest.fixture(scope="module")
def first(graph: Driver, settings: Settings) -> dict[str, dict[str, Any]]:
    return {r["unit_id"]: r for r in compute_credit(graph, settings, AS_OF)}


def snapshot(driver: Driver, settings: Settings) -> list[dict[str, Any]]:
    units = read(driver, settings, "MATCH (u:Unit) RETURN u.unit_id AS id, properties(u) AS p ORDER BY id")
    entries = read(driver, settings, "MATCH (o)-[:ON_YELLOW_LIST]->(e:YellowListEntry) "
                                     "RETURN o.unit_id AS id, properties(e) AS p ORDER BY e.entry_id")
    persons = read(driver, settings, "MATCH (p:Person) RETURN p.person_id AS id, properties(p) AS p ORDER BY id")
    return units + entries + persons


def test_grades_written(first: dict[str, dict[str, Any]], graph: Driver, settings: Settings) -> None:
    assert set(first) == {"U1", "U2", "U3", "U4", "U5"}
    g1 = read(graph, settings, "MATCH (u:Unit {unit_id: 'G1'}) RETURN u.credit_grade AS g, u.credit_index AS i")
    assert g1 == [{"g": None, "i": None}]
    assert first["U1"]["grade"] in ("A", "B") and first["U3"]["grade"] == "D"
    assert first["U1"]["composite"] == max(r["composite"] for r in first.values())
    rows = read(graph, settings, "MATCH (u:Unit) WHERE u.unit_id <> 'G1' RETURN u.unit_id AS id, u.credit_grade AS g, u.credit_index AS i, "
                                 "u.credit_as_of AS d, u.credit_factors AS f ORDER BY id")
    for r in rows:
        assert r["g"] == first[r["id"]]["grade"] and r["i"] == first[r["id"]]["composite"]
        assert r["d"].to_native() == AS_OF
        f = json.loads(r["f"])
        assert set(f["dimensions"]) == {"strength", "honours", "dishonesty", "points"}
        assert f["grade_reason"]
    u3 = first["U3"]["factors_detail"]
    assert any(x["indicator"] == "unit_violations" for x in u3["negative"])
    assert "单位违规" in first["U3"]["factors"]


def test_indicators(first: dict[str, dict[str, Any]]) -> None:
    ind = {u: first[u]["factors_detail"]["indicators"] for u in first}
    assert ind["U1"]["registered"]["value"] == 3
    assert ind["U2"]["registered"]["value"] == 1          # P5's registration ended
    assert ind["U1"]["senior"]["value"] == 2 and ind["U2"]["senior"]["value"] == 1  # P9 left U2
    assert ind["U1"]["projects"]["value"] == 4 + 3        # 省级 + 市级
    assert ind["U4"]["projects"]["value"] == 0            # ended before the window
    assert ind["U1"]["honour_count"]["value"] == 1
    assert ind["U2"]["staff_violations"]["value"] > 0     # P4's 一般 violation
    assert ind["U3"]["open_alerts"]["value"] == 1 and ind["U2"]["open_alerts"]["value"] == 0  # medium ignored


def test_restoration_after_repair_period(first: dict[str, dict[str, Any]]) -> None:
    assert first["U4"]["credit_points"] == 100           # 轻微, 4 months old: restored
    assert first["U5"]["credit_points"] == 97            # 轻微, 2 months old: default 3 points
    assert first["U3"]["credit_points"] == 70            # 严重, 30 points
    assert first["U1"]["credit_points"] == 110           # national first prize +10
    assert first["U4"]["factors_detail"]["indicators"]["unit_violations"]["value"] == 0


def test_person_points(first: dict[str, dict[str, Any]], graph: Driver, settings: Settings) -> None:
    pts = {r["id"]: r["pts"] for r in read(graph, settings, "MATCH (p:Person) RETURN p.person_id AS id, p.credit_points AS pts")}
    assert pts["P1"] == 110 and pts["P4"] == 96 and pts["P3"] == 100 and pts["P5"] == 100
    assert pts["P9"] is None  # not a registered planner


def test_yellow_list_entry(first: dict[str, dict[str, Any]], graph: Driver, settings: Settings) -> None:
    assert first["U3"]["yellow_list"] == "entered"
    assert all(first[u]["yellow_list"] is None for u in ("U1", "U2", "U4", "U5"))
    yl = yellow_list(graph, settings)
    assert [y["unit_id"] for y in yl] == ["U3"]
    assert yl[0]["entered"] == AS_OF.isoformat() and yl[0]["left"] is None
    assert "信用等级 D" in yl[0]["reason"] and "CL1" in yl[0]["reason"]
    assert set(yl[0]["reason_codes"]) == {"grade_D", "open_high_alert"}


def test_rerun_changes_nothing(first: dict[str, dict[str, Any]], graph: Driver, settings: Settings) -> None:
    before = snapshot(graph, settings)
    again = {r["unit_id"]: r for r in compute_credit(graph, settings, AS_OF)}
    assert snapshot(graph, settings) == before
    assert again["U3"]["yellow_list"] == "on"
    assert {u: r["composite"] for u, r in again.items()} == {u: r["composite"] for u, r in first.items()}


def test_list_credit(first: dict[str, dict[str, Any]], graph: Driver, settings: Settings) -> None:
    rows = list_credit(graph, settings)
    assert [r["unit_id"] for r in rows][0] == "U1"
    assert [r["composite"] for r in rows] == sorted((r["composite"] for r in rows), reverse=True)
    d = list_credit(graph, settings, grade="D")
    assert [r["unit_id"] for r in d] == ["U3"] and d[0]["yellow_list"] is True
    one = list_credit(graph, settings, unit_id="U5")
    assert len(one) == 1 and one[0]["credit_points"] == 97 and one[0]["as_of"] == AS_OF.isoformat()
    assert one[0]["dishonesty"] == first["U5"]["dishonesty"]


def test_yellow_list_exit_after_fix(first: dict[str, dict[str, Any]], graph: Driver, settings: Settings) -> None:
    # The violation is revoked on review and the alert dismissed: U3 leaves the list with a reason.
    write(graph, settings, "MATCH (v:Violation {violation_id: 'V1'}) DETACH DELETE v")
    write(graph, settings, "MATCH (a:Alert {alert_id: 'A1'}) SET a.status = 'dismissed'")
    rows = {r["unit_id"]: r for r in compute_credit(graph, settings, LATER)}
    assert rows["U3"]["grade"] != "D" and rows["U3"]["yellow_list"] == "left"
    assert yellow_list(graph, settings) == []
    hist = yellow_list(graph, settings, history=True)
    assert len(hist) == 1 and hist[0]["entered"] == AS_OF.isoformat() and hist[0]["left"] == LATER.isoformat()
    assert "恢复" in hist[0]["left_reason"] and "无未处理高风险预警" in hist[0]["left_reason"]
    # Re-entry later makes a new entry; history keeps both.
    write(graph, settings, "MATCH (a:Alert {alert_id: 'A1'}) SET a.status = 'open'")
    rows = {r["unit_id"]: r for r in compute_credit(graph, settings, D(2026, 8, 31))}
    assert rows["U3"]["yellow_list"] == "entered"
    hist = yellow_list(graph, settings, history=True)
    assert [h["entered"] for h in hist] == ["2026-08-31", AS_OF.isoformat()]
    assert hist[0]["reason"].startswith("未处理高风险预警") or "未处理高风险预警" in hist[0]["reason"]


def test_cli_credit_csv(graph: Driver, settings: Settings, cli_env: dict[str, str], tmp_path) -> None:
    out = tmp_path / "credit.csv"
    res = subprocess.run(["plantalent", "credit", "--as-of", "2026-08-31", "--out", str(out)], env=cli_env,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "5 units graded" in res.stdout
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["unit_id"] for r in rows] == ["U1", "U2", "U3", "U4", "U5"]
    assert {"unit_id", "name", "province", "grade", "composite", "strength", "honours", "dishonesty", "points",
            "factors"} <= set(rows[0])
    assert rows[0]["name"] == "U1规划院" and rows[0]["factors"].startswith("综合指数")
    bad = subprocess.run(["plantalent", "credit", "--as-of", "2026-13-01"], env=cli_env, capture_output=True,
                         text=True, timeout=300)
    assert bad.returncode == 2 and "--as-of" in bad.stderr
