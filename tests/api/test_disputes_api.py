"""Disputes and the inbox over HTTP: unit HR files on its staff's records only (404 elsewhere),
inspectors resolve, the outcome reaches unit HR's inbox; the bad inputs of DESIGN.md Casework."""

from __future__ import annotations

from tests.api.conftest import P1, P2, P3, UNIT_A, Site


def _portrait(site: Site, who: str, pid: str) -> dict:
    r = site.get(who, f"/api/persons/{pid}")
    assert r.status_code == 200, r.text
    return r.json()


def test_file_resolve_and_read_the_outcome(site: Site) -> None:
    hr_view = _portrait(site, "hr_a", P2)  # P2 is registered at A: A's staff
    reg = next(r for r in hr_view["registrations"] if r["unit_id"] == UNIT_A)
    body = {"person_id": hr_view["person_ref"], "record": {"kind": "registration", "key": reg["record_key"]},
            "reason": "李明已于2020年调离，注册应已注销"}
    r = site.post("hr_a", "/api/disputes", json=body)
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["status"] == "open" and d["person_id"] != P2 and d["person_ref"] == hr_view["person_ref"]
    assert site.post("hr_a", "/api/disputes", json=body).status_code == 409
    # bad inputs: another unit's staff member, an unknown record, a role that may not file
    p3 = _portrait(site, "inspector", P3)
    other = {"person_id": P3, "record": {"kind": "employment", "key": p3["employments"][0]["record_key"]}, "reason": "x"}
    assert site.post("hr_a", "/api/disputes", json=other).status_code == 404
    assert site.post("hr_b", "/api/disputes", json=other).status_code == 201  # P3 is B's
    assert site.post("hr_a", "/api/disputes", json={**body, "record": {"kind": "registration", "key": "nope"}}).status_code == 404
    assert site.post("inspector", "/api/disputes", json=body).status_code == 404
    assert site.post("hr_a", "/api/disputes", json={**body, "reason": " "}).status_code == 422
    assert site.post("hr_a", "/api/disputes", json={**body, "record": {"kind": "award", "key": "x"}}).status_code == 422

    # the queue: inspectors see both, unit HR its own, managers nothing
    assert site.get("inspector", "/api/disputes").json()["count"] == 2
    assert [x["dispute_id"] for x in site.get("hr_a", "/api/disputes").json()["data"]] == [d["dispute_id"]]
    assert site.get("manager", "/api/disputes").status_code == 404
    inbox = site.get("inspector", "/api/inbox").json()
    assert inbox["unread"] >= 2 and {n["kind"] for n in inbox["data"]} == {"dispute_filed"}

    path = f"/api/disputes/{d['dispute_id']}/resolve"
    assert site.post("inspector", path, json={"outcome": "rejected"}).status_code == 422
    assert site.post("hr_a", path, json={"outcome": "upheld"}).status_code == 404
    r = site.post("inspector", path, json={"outcome": "upheld", "comment": "核实属实"})
    assert r.status_code == 200, r.text and r.json()["status"] == "upheld"
    assert site.post("inspector", path, json={"outcome": "rejected", "comment": "x"}).status_code == 409
    # the record is set aside: the portrait no longer shows it (and P2 is no longer A's staff)
    assert [x["unit_id"] for x in _portrait(site, "inspector", P2)["registrations"]] == []
    assert site.get("hr_a", f"/api/persons/{P2}").status_code == 404
    mine = site.get("hr_a", "/api/disputes").json()["data"]
    assert [x["status"] for x in mine] == ["upheld"]
    inbox = site.get("hr_a", "/api/inbox", params={"unread": True}).json()
    assert [n["kind"] for n in inbox["data"]] == ["dispute_resolved"]
    after = site.post("hr_a", "/api/inbox/read", json={}).json()
    assert after["unread"] == 0 and after["count"] == 1
    assert _portrait(site, "hr_a", P1)["employments"][0]["record_key"] == f"{UNIT_A}|2005-07-01"
