"""Cockpit statistics equal counts computed independently from the test's own input rows (and,
for credit grades, from the credit run's own answer)."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from datetime import date
from typing import Any

import pytest
from neo4j import Driver

from graph.settings import Settings
from queries.credit import compute_credit
from queries.stats import bucket_of, cockpit
from tests.builder import Scenario

AS_OF = date(2026, 6, 30)
D = date

UNITS = [
    {"unit_id": f"S{i:02d}", "name": f"单位{i}", "province": prov, "region": region, "grade": grade, "unit_type": kind}
    for i, (prov, region, grade, kind) in enumerate([
        ("浙江省", "华东", "甲级", "企业"), ("浙江省", "华东", "乙级", "企业"), ("江苏省", "华东", "乙级", "事业单位"),
        ("北京市", "华北", "甲级", "企业"), ("北京市", "华北", "乙级", "企业"),
        ("广东省", "华南", "无", "机关"),  # a government office: not a planning unit, never graded
    ])
]
PERSONS = [{"person_id": f"Q{i:02d}", "name": f"人{i}"} for i in range(30)]
# Registrations: (person, unit, valid_from, valid_to) — some ended, one in the future.
REGS = (
    [(f"Q{i:02d}", "S00", D(2020, 1, 1), None) for i in range(12)]
    + [(f"Q{i:02d}", "S01", D(2021, 1, 1), None) for i in range(12, 16)]
    + [("Q16", "S01", D(2019, 1, 1), D(2024, 12, 31)), ("Q17", "S02", D(2026, 9, 1), None)]
    + [(f"Q{i:02d}", "S03", D(2022, 1, 1), D(2027, 1, 1)) for i in range(18, 25)]
    + [("Q25", "S04", D(2020, 1, 1), None)]
)
PLACES = [("浙江省", "杭州市", "西湖区"), ("浙江省", "杭州市", "余杭区"), ("浙江省", "宁波市", "象山县"),
          ("北京市", "北京市", "海淀区"), ("广东省", "广州市", "")]
LEVELS = ["省级", "市级", "县级", "乡镇级"]
STATUSES = ["编制中", "已报批", "已批复"]
PROJECTS = [
    {"project_id": f"J{i:03d}", "name": f"项目{i}", "level": LEVELS[i % 4], "status": STATUSES[(i * 7) % 3],
     "province": PLACES[i % 5][0], "city": PLACES[i % 5][1], "county": PLACES[i % 5][2] or None,
     "lead_unit_id": UNITS[i % 6]["unit_id"], "start_date": D(2024, 1, 1)}
    for i in range(23)
]
ALERTS = [
    {"alert_id": "AL1", "rule": "CL1", "severity": "high", "status": "open", "unit_ids": ["S00"]},
    {"alert_id": "AL2", "rule": "CL1", "severity": "medium", "status": "open", "unit_ids": ["S03"]},
    {"alert_id": "AL3", "rule": "CL2", "severity": "high", "status": "confirmed", "unit_ids": ["S00", "S03"]},
    {"alert_id": "AL4", "rule": "QA1", "severity": "high", "status": "open", "unit_ids": ["S04"]},
    {"alert_id": "AL5", "rule": "LK1", "severity": "low", "status": "dismissed", "unit_ids": [], "person_ids": ["Q01", "Q02"]},
    {"alert_id": "AL6", "rule": "CL2", "severity": "medium", "status": "open", "unit_ids": ["S01", "S02"]},
]
PROVINCE = {u["unit_id"]: u["province"] for u in UNITS}


SCORE = {"high": 0.9, "medium": 0.5, "low": 0.2}


@pytest.fixture(scope="module")
def s(db: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    s = Scenario(tmp_path_factory.mktemp("stats"))
    for u in UNITS:
        s.unit(u["unit_id"], name=u["name"], province=u["province"], grade=u["grade"], unit_type=u["unit_type"])
    for p in PERSONS:
        s.person(p["person_id"], name=p["name"])
    for p, u, f, t in REGS:
        s.registration(p, u, f, t, cert=f"Z{p}{u}")
    for j in PROJECTS:
        s.project(j["project_id"], j["lead_unit_id"], j["start_date"], name=j["name"], level=j["level"],
                  status=j["status"], province=j["province"], city=j["city"], county=j["county"])
    for a in ALERTS:
        s.alert(a["rule"], alert_id=a["alert_id"], score=SCORE[a["severity"]], status=a["status"], units=a["unit_ids"],
                persons=a.get("person_ids", []), summary=a["rule"])
    # What spreads the grades: a national first prize for S00, a severe violation against S04.
    s.award("W1", name="全国优秀国土空间规划设计奖", level="一等奖", year=2025, unit="S00")
    s.violation("V1", "S04", subject_type="单位", severity="严重", decided=D(2026, 1, 1), points=50)
    s.load(db, settings)
    return s


@pytest.fixture(scope="module")
def grades(s: Scenario, db: Driver, settings: Settings) -> dict[str, str]:
    """Unit key -> credit grade, as the real credit run gives them."""
    return {s.names[r["unit_id"]]: r["grade"] for r in compute_credit(db, settings, AS_OF)}


@pytest.fixture(scope="module")
def graph(grades: dict[str, str], db: Driver) -> Driver:
    return db


def active_regs(unit_id: str) -> int:
    return len({p for p, u, f, t in REGS if u == unit_id and f <= AS_OF and (t is None or t >= AS_OF)})


def test_units(graph: Driver, settings: Settings, grades: dict[str, str]) -> None:
    c = cockpit(graph, settings, as_of=AS_OF)
    assert c["units"]["total"] == len(UNITS)
    assert c["units"]["by_region"] == dict(Counter(u["region"] for u in UNITS))
    assert c["units"]["by_province"] == dict(Counter(u["province"] for u in UNITS))
    assert c["units"]["by_credit_grade"] == {k: v for k, v in Counter(grades.get(u["unit_id"], "未评") for u in UNITS).items()}
    assert len(set(grades.values())) >= 3  # the order is checked over several grades, 未评 last
    assert list(c["units"]["by_credit_grade"]) == [g for g in "ABCD" if g in grades.values()] + ["未评"]
    assert c["units"]["by_qualification"] == dict(Counter(u["grade"] for u in UNITS))


def test_registered(graph: Driver, settings: Settings) -> None:
    c = cockpit(graph, settings, as_of=AS_OF)["registered"]
    per_unit = [active_regs(u["unit_id"]) for u in UNITS]
    assert per_unit == [12, 4, 0, 7, 1, 0]
    assert c["total"] == sum(per_unit) and c["units"] == len(UNITS)
    assert c["average"] == round(sum(per_unit) / len(UNITS), 2)
    assert c["max"] == 12 and c["median"] == 2.5
    assert c["distribution"] == {"0": 2, "1-3": 1, "4-9": 2, "10-19": 1, "20-49": 0, "50+": 0}
    assert sum(c["distribution"].values()) == len(UNITS)
    assert c["by_province"]["浙江省"] == {"units": 2, "registered": 16, "average": 8.0}
    assert bucket_of(0) == "0" and bucket_of(3) == "1-3" and bucket_of(120) == "50+"


def test_projects(graph: Driver, settings: Settings) -> None:
    p = cockpit(graph, settings, as_of=AS_OF)["projects"]
    assert p["total"] == len(PROJECTS)
    assert p["by_level"] == {lv: n for lv in LEVELS if (n := sum(1 for j in PROJECTS if j["level"] == lv))}
    assert list(p["by_level"]) == LEVELS
    assert p["by_status"] == dict(Counter(j["status"] for j in PROJECTS))
    for lv, row in p["by_level_status"].items():
        assert row == dict(Counter(j["status"] for j in PROJECTS if j["level"] == lv))
    prov = {g["province"]: g for g in p["progress"]["province"]}
    assert {k: g["total"] for k, g in prov.items()} == dict(Counter(j["province"] for j in PROJECTS))
    assert prov["浙江省"]["by_status"] == dict(Counter(j["status"] for j in PROJECTS if j["province"] == "浙江省"))
    city = {(g["province"], g["city"]): g["total"] for g in p["progress"]["city"]}
    assert city == dict(Counter((j["province"], j["city"]) for j in PROJECTS))
    county = {(g["province"], g["city"], g["county"]): g["total"] for g in p["progress"]["county"]}
    assert county == dict(Counter((j["province"], j["city"], j["county"]) for j in PROJECTS if j["county"]))


def test_alerts(graph: Driver, settings: Settings) -> None:
    a = cockpit(graph, settings, as_of=AS_OF)["alerts"]
    assert a["total"] == len(ALERTS)
    assert a["by_rule"] == dict(Counter(x["rule"] for x in ALERTS))
    expected: Counter[str] = Counter()
    cross: Counter[tuple[str, str]] = Counter()
    for x in ALERTS:
        for prov in sorted({PROVINCE[u] for u in x["unit_ids"]}) or ["未知"]:
            expected[prov] += 1
            cross[(x["rule"], prov)] += 1
    assert a["by_province"] == dict(expected)
    assert {(r["rule"], r["province"]): r["n"] for r in a["by_rule_province"]} == dict(cross)
    assert a["by_severity"] == dict(Counter(x["severity"] for x in ALERTS))
    assert a["by_status"] == dict(Counter(x["status"] for x in ALERTS))


def test_unit_scope(graph: Driver, settings: Settings, s: Scenario) -> None:
    c = cockpit(graph, settings, unit_id=s.u("S00"), as_of=AS_OF)
    assert c["units"]["total"] == 1 and c["units"]["by_province"] == {"浙江省": 1}
    assert c["registered"]["total"] == 12 and c["registered"]["units"] == 1
    assert c["projects"]["total"] == sum(1 for j in PROJECTS if j["lead_unit_id"] == "S00")
    assert c["alerts"]["total"] == sum(1 for x in ALERTS if "S00" in x["unit_ids"])
    assert cockpit(graph, settings, unit_id="NOPE", as_of=AS_OF)["units"]["total"] == 0


def test_cli_cockpit(graph: Driver, cli_env: dict[str, str]) -> None:
    res = subprocess.run(["plantalent", "cockpit", "--json", "--as-of", AS_OF.isoformat()], env=cli_env,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    data: dict[str, Any] = json.loads(res.stdout)
    assert data["units"]["total"] == len(UNITS) and data["projects"]["total"] == len(PROJECTS)
    table = subprocess.run(["plantalent", "cockpit", "--as-of", AS_OF.isoformat()], env={**cli_env, "COLUMNS": "160"},
                           capture_output=True, text=True, timeout=300)
    assert table.returncode == 0, table.stderr
    for title in ("单位 · 按区域", "注册规划师", "项目 · 按层级与状态", "规划进度 · 按省", "预警 · 按规则与省份"):
        assert title in table.stdout
