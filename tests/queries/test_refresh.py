"""The refresh after loads (queries/refresh.py): tag → detect → credit, looking again only at the persons
the loads changed where the data allow — and then giving the same alerts as detecting everyone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from neo4j import Driver

from graph.db import read
from graph.settings import Settings
from ingest.loader import load_folder
from queries.alerts import store_alerts
from queries.detect import RULES, run_detection
from queries.refresh import Context, changes_since, run_stage
from tagging.tagger import run_tagging
from tests.ingest.conftest import P1, P2, U1, U2, wipe, world, write_folder

AS_OF = date(2024, 1, 1)


def _open_alerts(db: Driver, settings: Settings) -> set[str]:
    return {r["a"] for r in read(db, settings, "MATCH (a:Alert {status: 'open'}) RETURN a.alert_id AS a")}


def _cl2_of_p1(db: Driver, settings: Settings) -> list[str]:
    return [r["s"] for r in read(db, settings, "MATCH (a:Alert {rule: 'CL2'}) WHERE $p IN a.person_ids "
                                               "RETURN a.status AS s", p=P1)]


def _refresh(db: Driver, settings: Settings) -> dict[str, dict]:
    ctx = Context(db, settings, AS_OF)
    return {stage: run_stage(ctx, stage) for stage in ("tag", "detect", "credit")}


def test_a_refresh_after_a_small_load_looks_at_its_persons_only(db: Driver, settings: Settings, tmp_path: Path) -> None:
    wipe(db, settings)
    data = world()
    data["employments"].append({"person_id": P1, "unit_id": U2, "start_date": "2020-01-01", "end_date": "2021-12-31",
                                "position": "兼职"})
    load_folder(db, settings, write_folder(tmp_path / "a", data))
    first = _refresh(db, settings)
    assert first["detect"]["scope"] == "all" and first["tag"]["scope"] == "all persons"
    assert _cl2_of_p1(db, settings) == ["open"]
    assert changes_since(Context(db, settings, AS_OF), "detect").persons == set()  # nothing loaded since

    # P1's second job ended after a week: no more concurrent affiliation (CL2 closes); P2 changed title.
    data["employments"][-1]["end_date"] = "2020-01-07"
    data["persons"][1]["title"] = "高级工程师"
    load_folder(db, settings, write_folder(tmp_path / "b", {"persons": data["persons"], "employments": data["employments"]}))
    second = _refresh(db, settings)
    assert second["tag"]["scope"] == "changed persons" and second["tag"]["persons"] == 2
    assert second["detect"]["scope"] == "2 persons" and _cl2_of_p1(db, settings) == ["closed"]
    incremental = _open_alerts(db, settings)
    # The same graph detected in full gives the same open alerts.
    alerts = run_detection(db, settings, AS_OF, list(RULES))
    store_alerts(db, settings, alerts, as_of=AS_OF, rules=RULES)
    assert _open_alerts(db, settings) == incremental == {a.alert_id for a in alerts}

    # A change to a unit concerns everyone working there: everyone is looked at again.
    data["units"][0]["phone"] = "0571-12345678"
    load_folder(db, settings, write_folder(tmp_path / "c", {"units": data["units"]}))
    third = _refresh(db, settings)
    assert third["detect"]["scope"] == "all" and "changed units" in third["detect"]["why"]
    # Another as-of date: everything again.
    ctx = Context(db, settings, date(2025, 1, 1))
    assert changes_since(ctx, "detect").everyone


def test_tagging_follows_a_changed_project_to_its_members_and_ignores_units(db: Driver, settings: Settings,
                                                                            tmp_path: Path) -> None:
    """Tagging reads a project's fields for each member and nothing of units or applications: after a load
    changing those, it looks at the changed projects' members only, and a full tagging then finds nothing
    left to change. Detection reads them all and looks at everyone."""
    wipe(db, settings)
    data = world()
    load_folder(db, settings, write_folder(tmp_path / "a", data))
    _refresh(db, settings)
    data["projects"][0]["description"] = "城市更新与生态修复专项规划，含详细规划编制"  # J001: P1 and P2 are members
    data["units"][0]["phone"] = "0571-12345678"
    data["applications"][0]["grade"] = "乙级"
    load_folder(db, settings, write_folder(tmp_path / "b", {k: data[k] for k in ("units", "projects", "applications")}))
    after = _refresh(db, settings)
    assert after["tag"]["scope"] == "changed persons" and after["tag"]["persons"] == 2, after["tag"]
    assert after["tag"]["changed"] == 2 and "1 projects" in after["tag"]["why"]
    assert after["detect"]["scope"] == "all" and "units" in after["detect"]["why"]
    assert run_tagging(db, settings, as_of=AS_OF).changed == 0  # nobody's tags left stale
    members = read(db, settings, "MATCH (p:Person)-[:MEMBER_OF]->(:Project {project_id: 'J001'}) "
                                 "RETURN collect(p.person_id) AS ids")[0]["ids"]
    assert sorted(members) == sorted([P1, P2])


def test_an_interrupted_load_makes_the_next_refresh_look_at_everyone(db: Driver, settings: Settings,
                                                                     tmp_path: Path) -> None:
    wipe(db, settings)
    load_folder(db, settings, write_folder(tmp_path / "a", world()))
    _refresh(db, settings)
    db.execute_query("CREATE (:Load {load_id: 'L-killed', status: 'interrupted', started_at: datetime(), "
                     "interrupted_at: datetime(), files: '[]'})", database_=settings.neo4j_database)
    changes = changes_since(Context(db, settings, AS_OF), "detect")
    assert changes.everyone and "L-killed" in changes.why
    assert _refresh(db, settings)["detect"]["scope"] == "all"
    assert read(db, settings, "MATCH (u:Unit {unit_id: $u}) RETURN u.credit_grade IS NOT NULL AS g", u=U1) == [{"g": True}]
