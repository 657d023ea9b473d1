"""The inspector's alert workflow over HTTP: list, detail with evidence graph, decisions, audit."""

from __future__ import annotations

import pytest

from graph.db import read
from tests.api.conftest import CL2_ALERT, LK1_ALERT, P2, UNIT_A, Site


def test_list_and_filter(site: Site) -> None:
    r = site.get("inspector", "/api/alerts")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2 and {a["alert_id"] for a in body["data"]} == {CL2_ALERT, LK1_ALERT}
    high = site.get("inspector", "/api/alerts", params={"severity": "high"}).json()
    assert [a["rule"] for a in high["data"]] == ["CL2"]
    assert site.get("inspector", "/api/alerts", params={"rule": "LK1"}).json()["count"] == 1
    assert site.get("inspector", "/api/alerts", params={"province": "江苏省"}).json()["count"] == 1
    assert site.get("inspector", "/api/alerts", params={"status": "confirmed"}).json()["count"] == 0


def test_detail_has_graph_and_full_ids(site: Site, db, settings) -> None:
    r = site.get("inspector", f"/api/alerts/{CL2_ALERT}")
    assert r.status_code == 200
    a = r.json()
    assert a["person_ids"] == [P2] and UNIT_A in a["unit_ids"]
    kinds = {n["kind"] for n in a["graph"]["nodes"]}
    assert {"Person", "Unit"} <= kinds and a["graph"]["edges"]
    rows = read(db, settings, "MATCH (e:AuditEvent {action: 'view_alert', target: $a}) RETURN e.user_id AS u", a=CL2_ALERT)
    assert {"u": site.user_ids["inspector"]} in rows
    assert site.get("inspector", "/api/alerts/NO-SUCH").status_code == 404


def test_confirm_and_dismiss_with_reason(site: Site, db, settings) -> None:
    r = site.post("inspector", f"/api/alerts/{CL2_ALERT}/status", json={"status": "confirmed", "comment": "社保记录证实"})
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["status"] == "confirmed" and a["events"][-1]["comment"] == "社保记录证实"
    assert site.get("inspector", "/api/alerts", params={"status": "confirmed"}).json()["count"] == 1
    # the decision is in the durable audit log, readable by admin
    log = site.get("admin", "/api/audit", params={"action": "alert_status"}).json()
    assert log["count"] >= 1 and log["data"][0]["target"] == CL2_ALERT
    assert log["data"][0]["user_id"] == site.user_ids["inspector"] and "社保记录证实" in log["data"][0]["detail"]
    # an inadmissible transition is the caller's error, not the server's
    again = site.post("inspector", f"/api/alerts/{CL2_ALERT}/status", json={"status": "confirmed", "comment": "再次"})
    assert again.status_code == 409 and again.json()["detail"]
    assert again.json()["status"] == "confirmed" and again.json()["allowed"] == ["rectification", "penalized"]
    missing = site.post("inspector", "/api/alerts/NO-SUCH/status", json={"status": "confirmed", "comment": "x"})
    assert missing.status_code == 404


@pytest.mark.parametrize("body", [{}, {"status": "dismissed"}, {"status": "dismissed", "comment": "   "},
                                  {"status": "closed", "comment": "x"}, {"status": "bogus", "comment": "x"},
                                  {"status": "confirmed", "comment": "x", "extra": 1},
                                  {"status": "assigned", "comment": "x"},
                                  {"status": "confirmed", "outcome": {"kind": "penalty", "penalty": "警告"}},
                                  {"status": "confirmed", "outcome": {"kind": "rectification"}},
                                  {"status": "confirmed", "outcome": {"kind": "penalty", "points": -1}},
                                  {"status": "dismissed", "comment": "x", "outcome": {"kind": "rectification",
                                                                                     "deadline": "2025-01-01"}}])
def test_bad_status_bodies_are_422_with_fields(site: Site, body: dict) -> None:
    r = site.post("inspector", f"/api/alerts/{LK1_ALERT}/status", json=body)
    assert r.status_code == 422
    errors = r.json()["detail"]
    assert errors and all({"loc", "msg", "type"} <= set(e) for e in errors)


def test_unit_page_shows_open_alerts_to_inspector(site: Site) -> None:
    unit = site.get("inspector", f"/api/units/{UNIT_A}").json()
    assert isinstance(unit["open_alerts"], list)
