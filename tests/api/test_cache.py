"""Responses kept per graph version (api.cache): the same answers, never across views, renewed by
every change, and still audited."""

from __future__ import annotations

import time

import pytest
from neo4j import Driver

from graph.settings import Settings
from graph.version import bump, read_version
from tests.api.conftest import CL2_ALERT, LK1_ALERT, P1, P2, P3, UNIT_A, UNIT_B, Site

COMPUTE = {"Cache-Control": "no-cache"}
READS = [("inspector", "/api/experts/search?q=规划"), ("inspector", f"/api/persons/{P1}"),
         ("inspector", "/api/alerts"), ("inspector", "/api/alerts?rule=CL2"), ("inspector", f"/api/alerts/{LK1_ALERT}"),
         ("manager", f"/api/persons/{P3}"), ("hr_b", f"/api/persons/{P3}"), ("manager", "/api/experts/search?q=生态"),
         ("manager", "/api/stats"), ("hr_a", "/api/stats"), ("inspector", f"/api/units/{UNIT_A}"),
         ("hr_a", f"/api/units/{UNIT_A}")]


@pytest.mark.parametrize("who,path", READS)
def test_kept_answer_is_the_computed_one(site: Site, who: str, path: str) -> None:
    with site.client(who) as c:
        computed = c.get(path, headers=COMPUTE)
        kept = c.get(path)
        again = c.get(path, headers=COMPUTE)
    assert computed.status_code == kept.status_code == again.status_code == 200
    assert computed.headers["x-cache"] == "miss" and kept.headers["x-cache"] == "hit"
    assert again.headers["x-cache"] == "miss"
    assert kept.json() == computed.json() == again.json()
    assert kept.headers["content-type"] == "application/json"


def test_views_never_share_a_kept_answer(site: Site) -> None:
    # The inspector's unmasked portrait of P3 (unit B only) is kept first...
    full = site.get("inspector", f"/api/persons/{P3}")
    assert full.status_code == 200 and full.json()["person_id"] == P3 and "alerts" in full.json()
    assert site.get("inspector", f"/api/persons/{P3}").headers["x-cache"] == "hit"
    # ...yet the manager gets it masked, unit A's HR gets the 404 of a stranger, unit B's HR a masked copy.
    masked = site.get("manager", f"/api/persons/{P3}")
    assert masked.status_code == 200 and masked.json()["masked"] is True
    assert P3 not in masked.text and "alerts" not in masked.json()
    assert site.get("hr_a", f"/api/persons/{P3}").status_code == 404
    assert site.get("hr_a", f"/api/persons/{P3}").status_code == 404  # the 404 is not kept as a body either
    hr_b = site.get("hr_b", f"/api/persons/{P3}")
    assert hr_b.status_code == 200 and P3 not in hr_b.text
    # The dashboard of the whole graph, kept for a manager, is not what a unit's HR gets.
    for _ in range(2):
        assert site.get("manager", "/api/stats").json()["scope"] == "all"
    assert site.get("hr_b", "/api/stats").json()["staff"]["unit_id"] == UNIT_B
    assert site.get("hr_a", "/api/stats").json()["staff"]["unit_id"] == UNIT_A
    # A unit page kept for the inspector (phones in full, open alerts) is masked and alert-free for HR.
    inspector_unit = site.get("inspector", f"/api/units/{UNIT_A}").json()
    assert inspector_unit["unit"]["phone"] == "0571-88886666" and inspector_unit["open_alerts"] is not None
    hr_unit = site.get("hr_a", f"/api/units/{UNIT_A}").json()
    assert "8888" not in hr_unit["unit"]["phone"] and hr_unit.get("open_alerts") is None
    assert site.get("hr_b", f"/api/units/{UNIT_A}").status_code == 404


def test_kept_views_are_still_audited(site: Site) -> None:
    def views() -> int:
        rows = site.get("admin", "/api/audit", params={"user_id": site.user_ids["inspector"], "action": "view_portrait",
                                                       "target": P2}).json()
        return int(rows["count"])

    before = views()
    answers = [site.get("inspector", f"/api/persons/{P2}") for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert {r.headers["x-cache"] for r in answers[1:]} == {"hit"}
    assert views() == before + 3


def test_an_alert_decision_shows_at_once(site: Site) -> None:
    alert = f"/api/alerts/{CL2_ALERT}"
    for _ in range(2):
        assert site.get("inspector", alert).json()["status"] == "open"
        assert site.get("inspector", "/api/alerts?rule=CL2").json()["data"][0]["status"] == "open"
    changed = site.post("inspector", f"{alert}/status", json={"status": "confirmed", "comment": "核实属实"})
    assert changed.status_code == 200 and changed.json()["status"] == "confirmed"
    after = site.get("inspector", alert)
    assert after.headers["x-cache"] == "miss" and after.json()["status"] == "confirmed"
    assert site.get("inspector", "/api/alerts?rule=CL2").json()["data"][0]["status"] == "confirmed"
    outcome = {"kind": "rectification", "deadline": "2030-06-30"}
    rectify = site.post("inspector", f"{alert}/status", json={"status": "confirmed", "comment": "限期整改", "outcome": outcome})
    assert rectify.status_code == 200
    assert site.get("inspector", alert).json()["status"] == "rectification"


def test_another_process_change_shows_once_the_version_moves(site: Site, db: Driver, settings: Settings) -> None:
    path = f"/api/alerts/{LK1_ALERT}"
    original = site.get("inspector", path).json()["summary"]
    assert site.get("inspector", path).headers["x-cache"] == "hit"
    before = read_version(db, settings)
    try:
        # A change that bypasses plantalent's writers is not seen: the kept answer stands...
        db.execute_query("MATCH (a:Alert {alert_id: $a}) SET a.summary = $s", a=LK1_ALERT, s="共用电话（复核后）")
        time.sleep(settings.api_cache_recheck_ms / 1000 + 0.2)
        stale = site.get("inspector", path)
        assert stale.headers["x-cache"] == "hit" and stale.json()["summary"] == original
        # ...until a writer moves the version (as ingest, tagging, detection and credit runs do).
        assert bump(db, settings, "test") != before
        deadline = time.monotonic() + settings.api_cache_recheck_ms / 1000 + 2.0
        while site.get("inspector", path).json()["summary"] == original:
            assert time.monotonic() < deadline, "the app kept serving the answer of an older version"
            time.sleep(0.02)
        assert site.get("inspector", path).json()["summary"] == "共用电话（复核后）"
    finally:
        db.execute_query("MATCH (a:Alert {alert_id: $a}) SET a.summary = $s", a=LK1_ALERT, s=original)
        bump(db, settings, "test")
