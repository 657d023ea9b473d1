"""Alerts in the graph: storing, stable ids, the workflow, closing on re-run, listing, evidence graph, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from queries.alerts import (
    AlertNotFoundError,
    AlertStatusError,
    AlertTransitionError,
    Decision,
    detect_and_store,
    get_alert,
    list_alerts,
    set_alert_status,
)
from queries.users import Principal
from tests.builder import Scenario
from tests.queries.conftest import AS_OF

INSP = Principal("insp1", "inspector")

FIELDS = ["alert_id", "rule", "severity", "score", "person_ids", "unit_ids", "project_id", "application_id",
          "period", "summary", "evidence"]


def _plant(s: Scenario) -> None:
    s.unit("ZJ", province="浙江省")
    s.unit("JS", province="江苏省")
    s.registration("x", "ZJ", "2024-01-01")          # CL1 at ZJ
    s.insurance("x", "JS", "2024-01")                 # ... insured elsewhere (also CL2-free)
    s.registration("y", "JS", "2024-06-01")          # CL1 at JS, no insurance at all
    s.employment("z", "ZJ", "2024-01-01")             # CL2: z at ZJ and JS
    s.employment("z", "JS", "2024-01-01")
    s.insurance("z", "ZJ", "2024-01")


def test_workflow_and_reruns(fresh, settings, scenario):
    s = scenario
    _plant(s)
    s.load(fresh, settings)
    first = detect_and_store(fresh, settings, AS_OF, ["CL1", "CL2"])
    assert {(a.rule,) + s.key(a) for a in first} == {("CL1", "x", "ZJ"), ("CL1", "y", "JS"), ("CL2", "z", "ZJ", "JS")} \
        or {(a.rule,) + s.key(a) for a in first} == {("CL1", "x", "ZJ"), ("CL1", "y", "JS"), ("CL2", "z", "JS", "ZJ")}
    ids = {s.key(a)[0]: a.alert_id for a in first}
    listed = list_alerts(fresh, settings)
    assert listed["count"] == 3 and all(a["status"] == "open" for a in listed["data"])
    assert list(listed["data"][0])[:11] == FIELDS

    # inspector workflow
    with pytest.raises(AlertStatusError):
        set_alert_status(fresh, settings, ids["x"], Decision("dismissed", ""), INSP)
    with pytest.raises(AlertStatusError):
        set_alert_status(fresh, settings, ids["x"], Decision("closed", "done"), INSP)
    with pytest.raises(AlertNotFoundError):
        set_alert_status(fresh, settings, "CL1-nonexistent", Decision("confirmed", "r"), INSP)
    done = set_alert_status(fresh, settings, ids["x"], Decision("confirmed", "核实属实"), INSP)
    assert done["status"] == "confirmed"
    assert [(e["from_status"], e["to_status"], e["actor"]) for e in done["events"]] == [
        (None, "open", "detection"), ("open", "confirmed", "insp1")]
    with pytest.raises(AlertTransitionError):
        set_alert_status(fresh, settings, ids["x"], Decision("confirmed", "again"), INSP)

    # same data, same ids; the confirmed alert keeps its status
    again = detect_and_store(fresh, settings, AS_OF, ["CL1", "CL2"])
    assert {a.alert_id for a in again} == {a.alert_id for a in first}
    assert get_alert(fresh, settings, ids["x"])["status"] == "confirmed"

    # y gets insured at JS: its CL1 no longer holds. A --person run for x and a CL2-only run close nothing of y.
    s.insurance("y", "JS", "2024-06")
    s.load(fresh, settings)
    detect_and_store(fresh, settings, AS_OF, ["CL1"], s.p("x"))
    detect_and_store(fresh, settings, AS_OF, ["CL2"])
    assert get_alert(fresh, settings, ids["y"])["status"] == "open"
    detect_and_store(fresh, settings, AS_OF, ["CL1"])
    y = get_alert(fresh, settings, ids["y"])
    assert y["status"] == "closed" and y["closed_at"]
    assert y["events"][-1]["comment"].endswith("condition no longer holds")
    assert get_alert(fresh, settings, ids["x"])["status"] == "confirmed"
    assert list_alerts(fresh, settings, status="closed")["count"] == 1

    # the condition holds again (a corrected extract: y's insurance at JS ended in June): the closed alert reopens
    s.insurance("y", "JS", "2024-06", "2024-06")
    s.load(fresh, settings)
    detect_and_store(fresh, settings, AS_OF, ["CL1"], s.p("y"))
    y = get_alert(fresh, settings, ids["y"])
    assert y["status"] == "open" and y["closed_at"] is None
    assert [e["to_status"] for e in y["events"]] == ["open", "closed", "open"]


def test_list_filters_and_graph(fresh, settings, scenario):
    s = scenario
    _plant(s)
    s.load(fresh, settings)
    alerts = detect_and_store(fresh, settings, AS_OF, ["CL1", "CL2"])
    by = {s.key(a)[0]: a for a in alerts}
    assert list_alerts(fresh, settings, rule="CL2")["count"] == 1
    assert {a["alert_id"] for a in list_alerts(fresh, settings, province="江苏省")["data"]} == {
        by["y"].alert_id, by["z"].alert_id}
    assert {a["alert_id"] for a in list_alerts(fresh, settings, unit_id=s.u("ZJ"))["data"]} == {
        by["x"].alert_id, by["z"].alert_id}
    assert list_alerts(fresh, settings, person_id=s.p("y"))["data"][0]["alert_id"] == by["y"].alert_id
    sev = by["x"].severity
    assert by["x"].alert_id in {a["alert_id"] for a in list_alerts(fresh, settings, severity=sev)["data"]}
    page = list_alerts(fresh, settings, page=2, page_size=2)
    assert page["count"] == 3 and len(page["data"]) == 1
    assert list_alerts(fresh, settings, province="广东省") == {"data": [], "count": 0}

    got = get_alert(fresh, settings, by["x"].alert_id)
    # The page's evidence is the alert's, each record with the load that brought it (its sources).
    assert [{k: v for k, v in e.items() if k != "sources"} for e in got["evidence"]] == by["x"].evidence
    assert got["summary"] == by["x"].summary
    records = [e for e in got["evidence"] if e.get("ids")]
    assert records and all(src["file"] and src["line"] and src["load_id"] for e in records for src in e["sources"])
    nodes = {n["id"]: n for n in got["graph"]["nodes"]}
    assert f"Alert:{by['x'].alert_id}" in nodes and f"Person:{s.p('x')}" in nodes
    assert f"Org:{s.u('ZJ')}" in nodes and f"Org:{s.u('JS')}" in nodes  # the other payer is evidence
    kinds = {n["kind"] for n in nodes.values()}
    assert {"Alert", "Person", "Unit", "Registration", "Insurance"} <= kinds
    edges = {(e["source"].split(":")[0], e["type"], e["target"].split(":")[0]) for e in got["graph"]["edges"]}
    assert {("Alert", "CONCERNS", "Person"), ("Alert", "CONCERNS", "Org"), ("Person", "HAS_REGISTRATION", "Registration"),
            ("Registration", "AT", "Org"), ("Person", "HAS_INSURANCE", "Insurance")} <= edges
    assert all(e["source"] in nodes and e["target"] in nodes for e in got["graph"]["edges"])
    assert get_alert(fresh, settings, "CL1-0000") is None


def test_cli_detect_writes_jsonl(fresh, settings, scenario, cli_env, tmp_path: Path):
    s = scenario
    _plant(s)
    s.load(fresh, settings)
    out = tmp_path / "alerts.jsonl"
    cmd = [str(Path(sys.executable).parent / "plantalent"), "detect", "--as-of", AS_OF.isoformat(), "--out", str(out)]
    proc = subprocess.run(cmd + ["--rules", "CL1,CL2"], env=cli_env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3 and all(list(x) == FIELDS for x in lines)
    assert all(x["severity"] in {"high", "medium", "low"} and 0 <= x["score"] <= 1 for x in lines)
    first_ids = [x["alert_id"] for x in lines]
    proc = subprocess.run(cmd + ["--rules", "CL1,CL2"], env=cli_env, capture_output=True, text=True, timeout=300)
    assert [json.loads(x)["alert_id"] for x in out.read_text(encoding="utf-8").splitlines()] == first_ids
    proc = subprocess.run(cmd + ["--person", s.p("y")], env=cli_env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(x)["rule"] for x in out.read_text(encoding="utf-8").splitlines()] == ["CL1"]
    bad = subprocess.run(cmd + ["--rules", "CL9"], env=cli_env, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "CL9" in bad.stderr
