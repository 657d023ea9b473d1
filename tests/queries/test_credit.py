"""Credit grading against a real Neo4j: grades, restoration, person points, yellow list, CLI."""

from __future__ import annotations

import csv
import json
import subprocess
from datetime import date
from typing import Any

import pytest
from neo4j import Driver

from graph.db import read
from graph.settings import Settings
from queries.alerts import Decision, set_alert_status
from queries.credit import compute_credit, list_credit, yellow_list
from queries.users import Principal
from tests.builder import Scenario

AS_OF = date(2026, 6, 30)
LATER = date(2026, 7, 31)
D = date
REG_FROM = D(2020, 1, 1)
EMP_FROM = D(2019, 1, 1)
UNITS = [("U1", "北京", "甲级"), ("U2", "浙江", "乙级"), ("U3", "广东", "无"), ("U4", "浙江", "乙级"), ("U5", "浙江", "乙级")]
PERSONS = [("P1", "正高级工程师"), ("P2", "高级工程师"), ("P3", "工程师"), ("P4", "高级工程师"), ("P5", "工程师"),
           ("P6", "工程师"), ("P7", "工程师"), ("P8", "工程师"), ("P9", "高级规划师")]

INSP = Principal("insp1", "inspector")


def plant(s: Scenario) -> None:
    for key, province, grade in UNITS:
        s.unit(key, name=f"{key}规划院", province=province, grade=grade)
    for key, title in PERSONS:
        s.person(key, name=f"人员{key}", title=title)
    for pid, uid, to in [("P1", "U1", None), ("P2", "U1", None), ("P3", "U1", None), ("P4", "U2", None),
                         ("P5", "U2", D(2025, 12, 31)), ("P6", "U3", None), ("P7", "U4", None), ("P8", "U5", None)]:
        s.registration(pid, uid, REG_FROM, to, cert=f"C{pid}")
    for pid, uid in [("P1", "U1"), ("P2", "U1"), ("P3", "U1"), ("P4", "U2"), ("P6", "U3")]:
        s.employment(pid, uid, EMP_FROM)
    s.employment("P9", "U2", EMP_FROM, D(2025, 1, 1))  # P9 left U2: not senior staff any more
    for jid, uid, level, start, end in [("J1", "U1", "省级", D(2025, 3, 1), D(2025, 12, 1)), ("J2", "U1", "市级", D(2024, 1, 1), None),
                                        ("J3", "U2", "县级", D(2025, 5, 1), None), ("J4", "U3", "乡镇级", D(2025, 6, 1), None),
                                        ("J5", "U4", "省级", D(2019, 1, 1), D(2022, 12, 31))]:  # J5: outside the 3-year window
        s.project(jid, uid, start, end=end, name=f"{jid}国土空间规划", level=level, province="浙江", city="杭州",
                  county="西湖区", status="编制中")
    s.award("W1", name="全国优秀国土空间规划设计奖", level="一等奖", year=2025, unit="U1", persons=["P1"])
    for vid, stype, sid, severity, decided, points in [
            ("V1", "单位", "U3", "严重", D(2026, 1, 1), 30),
            ("V2", "单位", "U4", "轻微", D(2026, 2, 28), None),      # 4 months old on AS_OF: restored
            ("V3", "单位", "U5", "轻微", D(2026, 4, 30), None),      # 2 months old: still deducts
            ("V4", "个人", "P4", "一般", D(2026, 1, 15), 4)]:
        s.violation(vid, sid, subject_type=stype, severity=severity, decided=decided, points=points,
                    authority="省自然资源厅", penalty="警告")
    s.alert("CL1", alert_id="A1", score=0.9, units=["U3"], persons=["P6"], summary="人证分离")
    s.alert("LK2", alert_id="A2", score=0.5, units=["U2", "U4"], summary="关联单位")


@pytest.fixture(scope="module")
def s(db: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    s = Scenario(tmp_path_factory.mktemp("credit"))
    # G1 was graded once as a planning firm; the corrected units.csv below makes it a government
    # office, which is not a planning unit: not graded, and its stale grade is removed.
    s.unit("G1", name="G1规划院", province="浙江", grade="无")
    s.load(db, settings)
    compute_credit(db, settings, AS_OF)
    assert read(db, settings, "MATCH (u:Unit {unit_id: $g}) RETURN u.credit_grade AS g", g=s.u("G1"))[0]["g"]
    plant(s)
    s.unit("G1", unit_type="机关")
    s.load(db, settings)
    return s


@pytest.fixture(scope="module")
def graph(s: Scenario, db: Driver) -> Driver:
    return db


@pytest.fixture(scope="module")
def first(graph: Driver, settings: Settings, s: Scenario) -> dict[str, dict[str, Any]]:
    return {s.names[r["unit_id"]]: r for r in compute_credit(graph, settings, AS_OF)}


def snapshot(driver: Driver, settings: Settings) -> list[dict[str, Any]]:
    units = read(driver, settings, "MATCH (u:Unit) RETURN u.unit_id AS id, properties(u) AS p ORDER BY id")
    entries = read(driver, settings, "MATCH (o)-[:ON_YELLOW_LIST]->(e:YellowListEntry) "
                                     "RETURN o.unit_id AS id, properties(e) AS p ORDER BY e.entry_id")
    persons = read(driver, settings, "MATCH (p:Person) RETURN p.person_id AS id, properties(p) AS p ORDER BY id")
    return units + entries + persons


def test_grades_written(first: dict[str, dict[str, Any]], graph: Driver, settings: Settings, s: Scenario) -> None:
    assert set(first) == {"U1", "U2", "U3", "U4", "U5"}
    g1 = read(graph, settings, "MATCH (u:Unit {unit_id: $g}) RETURN u.credit_grade AS g, u.credit_index AS i", g=s.u("G1"))
    assert g1 == [{"g": None, "i": None}]
    assert first["U1"]["grade"] in ("A", "B") and first["U3"]["grade"] == "D"
    assert first["U1"]["composite"] == max(r["composite"] for r in first.values())
    rows = read(graph, settings, "MATCH (u:Unit) WHERE u.unit_id <> $g RETURN u.unit_id AS id, u.credit_grade AS g, u.credit_index AS i, "
                                 "u.credit_as_of AS d, u.credit_factors AS f ORDER BY id", g=s.u("G1"))
    for r in rows:
        unit = first[s.names[r["id"]]]
        assert r["g"] == unit["grade"] and r["i"] == unit["composite"]
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


def test_person_points(first: dict[str, dict[str, Any]], graph: Driver, settings: Settings, s: Scenario) -> None:
    pts = {s.names[r["id"]]: r["pts"] for r in read(graph, settings, "MATCH (p:Person) RETURN p.person_id AS id, p.credit_points AS pts")}
    assert pts["P1"] == 110 and pts["P4"] == 96 and pts["P3"] == 100 and pts["P5"] == 100
    assert pts["P9"] is None  # not a registered planner


def test_yellow_list_entry(first: dict[str, dict[str, Any]], graph: Driver, settings: Settings, s: Scenario) -> None:
    assert first["U3"]["yellow_list"] == "entered"
    assert all(first[u]["yellow_list"] is None for u in ("U1", "U2", "U4", "U5"))
    yl = yellow_list(graph, settings)
    assert [s.names[y["unit_id"]] for y in yl] == ["U3"]
    assert yl[0]["entered"] == AS_OF.isoformat() and yl[0]["left"] is None
    assert "信用等级 D" in yl[0]["reason"] and "CL1" in yl[0]["reason"]
    assert set(yl[0]["reason_codes"]) == {"grade_D", "open_high_alert"}


def test_rerun_changes_nothing(first: dict[str, dict[str, Any]], graph: Driver, settings: Settings, s: Scenario) -> None:
    before = snapshot(graph, settings)
    again = {s.names[r["unit_id"]]: r for r in compute_credit(graph, settings, AS_OF)}
    assert snapshot(graph, settings) == before
    assert again["U3"]["yellow_list"] == "on"
    assert {u: r["composite"] for u, r in again.items()} == {u: r["composite"] for u, r in first.items()}


def test_list_credit(first: dict[str, dict[str, Any]], graph: Driver, settings: Settings, s: Scenario) -> None:
    rows = list_credit(graph, settings)
    assert [s.names[r["unit_id"]] for r in rows][0] == "U1"
    assert [r["composite"] for r in rows] == sorted((r["composite"] for r in rows), reverse=True)
    d = list_credit(graph, settings, grade="D")
    assert [s.names[r["unit_id"]] for r in d] == ["U3"] and d[0]["yellow_list"] is True
    one = list_credit(graph, settings, unit_id=s.u("U5"))
    assert len(one) == 1 and one[0]["credit_points"] == 97 and one[0]["as_of"] == AS_OF.isoformat()
    assert one[0]["dishonesty"] == first["U5"]["dishonesty"]


def test_yellow_list_exit_after_fix(first: dict[str, dict[str, Any]], graph: Driver, settings: Settings,
                                    s: Scenario) -> None:
    # On review the violation is reduced to 轻微 (its 3-month repair period long over; a corrected
    # violations.csv) and the alert dismissed: U3 leaves the list with a reason.
    s.violation("V1", "U3", subject_type="单位", severity="轻微", decided=D(2026, 1, 1), authority="省自然资源厅",
                penalty="警告")
    s.load(graph, settings)
    set_alert_status(graph, settings, "A1", Decision("dismissed", "复核不属实"), INSP)
    rows = {s.names[r["unit_id"]]: r for r in compute_credit(graph, settings, LATER)}
    assert rows["U3"]["grade"] != "D" and rows["U3"]["yellow_list"] == "left"
    assert yellow_list(graph, settings) == []
    hist = yellow_list(graph, settings, history=True)
    assert len(hist) == 1 and hist[0]["entered"] == AS_OF.isoformat() and hist[0]["left"] == LATER.isoformat()
    assert "恢复" in hist[0]["left_reason"] and "无未处理高风险预警" in hist[0]["left_reason"]
    # Re-entry later makes a new entry; history keeps both.
    set_alert_status(graph, settings, "A1", Decision("open", "重新核查"), INSP)
    rows = {s.names[r["unit_id"]]: r for r in compute_credit(graph, settings, D(2026, 8, 31))}
    assert rows["U3"]["yellow_list"] == "entered"
    hist = yellow_list(graph, settings, history=True)
    assert [h["entered"] for h in hist] == ["2026-08-31", AS_OF.isoformat()]
    assert hist[0]["reason"].startswith("未处理高风险预警") or "未处理高风险预警" in hist[0]["reason"]


def test_cli_credit_csv(graph: Driver, settings: Settings, cli_env: dict[str, str], tmp_path, s: Scenario) -> None:
    out = tmp_path / "credit.csv"
    res = subprocess.run(["plantalent", "credit", "--as-of", "2026-08-31", "--out", str(out)], env=cli_env,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "5 units graded" in res.stdout
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [s.names[r["unit_id"]] for r in rows] == ["U1", "U2", "U3", "U4", "U5"]
    assert {"unit_id", "name", "province", "grade", "composite", "strength", "honours", "dishonesty", "points",
            "factors"} <= set(rows[0])
    assert rows[0]["name"] == "U1规划院" and rows[0]["factors"].startswith("综合指数")
    bad = subprocess.run(["plantalent", "credit", "--as-of", "2026-13-01"], env=cli_env, capture_output=True,
                         text=True, timeout=300)
    assert bad.returncode == 2 and "--as-of" in bad.stderr
