"""Authentication, roles and unit scope: 401 without a token, 404 (never 403) outside scope."""

from __future__ import annotations

import subprocess

import pytest

from graph.db import read
from queries.users import hash_token
from tests.api.conftest import CL2_ALERT, P1, P2, P3, P4, UNIT_A, UNIT_B, Site


def test_health_needs_no_token(site: Site) -> None:
    r = site.get(None, "/api/health")
    assert r.status_code == 200 and r.json()["neo4j"] is True


@pytest.mark.parametrize("path", ["/api/me", f"/api/persons/{P1}", f"/api/units/{UNIT_A}", "/api/alerts", "/api/stats",
                                  "/api/experts/search?q=规划", "/api/audit", "/api/credit", "/api/yellow-list"])
def test_401_without_or_with_bad_token(site: Site, path: str) -> None:
    assert site.get(None, path).status_code == 401
    r = site.get(None, path, headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert site.get(None, path, headers={"Authorization": "Basic abc"}).status_code == 401


def test_tokens_are_stored_hashed(site: Site, db, settings) -> None:
    rows = read(db, settings, "MATCH (u:User) RETURN u {.*} AS u")
    assert len(rows) >= 5
    stored = " ".join(str(r["u"]) for r in rows)
    for token in site.tokens.values():
        assert token not in stored
        assert hash_token(token) in stored


def test_me(site: Site) -> None:
    me = site.get("hr_a", "/api/me").json()
    assert me == {"user_id": site.user_ids["hr_a"], "role": "unit_hr", "unit_id": UNIT_A, "name": "test hr_a", "unmasked": False}


@pytest.mark.parametrize("who", ["manager", "hr_a", "hr_b"])
@pytest.mark.parametrize("path", ["/api/alerts", f"/api/alerts/{CL2_ALERT}", "/api/audit", "/api/users"])
def test_forbidden_routes_answer_404(site: Site, who: str, path: str) -> None:
    r = site.get(who, path)
    assert r.status_code == 404 and r.json() == {"detail": "Not Found"}
    # exactly what a route that does not exist answers
    assert site.get(who, "/api/no-such-route").json() == r.json()


def test_alert_status_change_forbidden_for_manager(site: Site) -> None:
    r = site.post("manager", f"/api/alerts/{CL2_ALERT}/status", json={"status": "confirmed", "comment": "x"})
    assert r.status_code == 404


def test_inspector_has_no_admin_routes(site: Site) -> None:
    assert site.get("inspector", "/api/audit").status_code == 404
    assert site.post("inspector", "/api/ingest", files={"files": ("units.csv", b"unit_id\n")}).status_code == 404


def test_unit_hr_sees_own_unit(site: Site) -> None:
    r = site.get("hr_a", f"/api/units/{UNIT_A}")
    assert r.status_code == 200
    body = r.json()
    assert body["unit"]["name"] == "杭州市规划设计研究院" and body.get("open_alerts") is None
    staff = site.get("hr_a", f"/api/units/{UNIT_A}/staff").json()
    names = {s["name"] for s in staff["data"]}
    # current staff: P1 (employed + registered) and P2 (registered); P4 left in 2020
    assert names == {"张建国", "李明"}
    assert all("*" in s["person_id"] for s in staff["data"])


@pytest.mark.parametrize("path", [f"/api/units/{UNIT_B}", f"/api/units/{UNIT_B}/staff", f"/api/units/{UNIT_B}/credit",
                                  f"/api/persons/{P3}", f"/api/persons/{P4}", "/api/units/NOPE", "/api/persons/NOPE",
                                  "/api/experts/search?q=王芳", "/api/alerts?severity=high", f"/api/alerts/{CL2_ALERT}"])
def test_unit_hr_gets_404_outside_scope(site: Site, path: str) -> None:
    r = site.get("hr_a", path)
    assert r.status_code == 404 and r.json() == {"detail": "Not Found"}


def test_other_units_hr_symmetric(site: Site) -> None:
    assert site.get("hr_b", f"/api/units/{UNIT_A}").status_code == 404
    assert site.get("hr_b", f"/api/units/{UNIT_B}").status_code == 200
    staff = {s["name"] for s in site.get("hr_b", f"/api/units/{UNIT_B}/staff").json()["data"]}
    assert staff == {"李明", "王芳", "赵磊"}


def test_manager_sees_all_units_masked(site: Site) -> None:
    staff = site.get("manager", f"/api/units/{UNIT_A}/staff").json()
    assert staff["count"] == 3  # former staff too, flagged not current
    assert {s["name"]: s["current"] for s in staff["data"]}["赵磊"] is False
    for s in staff["data"]:
        assert "*" in s["person_id"] and s["person_ref"].startswith("p_")
        assert s["phone"] is None or "****" in s["phone"]
    unit = site.get("manager", f"/api/units/{UNIT_A}").json()
    assert "8888" not in unit["unit"]["phone"]
    assert unit.get("open_alerts") is None


def test_inspector_sees_full_ids_and_is_audited(site: Site, db, settings) -> None:
    staff = site.get("inspector", f"/api/units/{UNIT_A}/staff").json()
    assert P1 in {s["person_id"] for s in staff["data"]}
    unit = site.get("inspector", f"/api/units/{UNIT_A}").json()
    assert unit["unit"]["phone"] == "0571-88886666"
    rows = read(db, settings, "MATCH (e:AuditEvent {user_id: $u}) RETURN e.action AS action, e.target AS target",
                u=site.user_ids["inspector"])
    assert {"action": "view_staff", "target": UNIT_A} in rows and {"action": "view_unit", "target": UNIT_A} in rows
    audit = site.get("admin", "/api/audit", params={"user_id": site.user_ids["inspector"]}).json()
    assert audit["count"] >= 2 and audit["data"][0]["at"]


def test_stats_scoped_for_unit_hr(site: Site) -> None:
    mine = site.get("hr_a", "/api/stats")
    assert mine.status_code == 200
    body = mine.json()
    assert body["scope"] == "unit" and body["staff"]["unit_id"] == UNIT_A and "alerts" not in body
    assert body["staff"]["totals"]["staff"] == 2
    everything = site.get("manager", "/api/stats").json()
    assert everything["scope"] == "all"


def test_users_add_cli_prints_token_once(site: Site, cli_env, db, settings) -> None:
    r = subprocess.run(["plantalent", "users", "add", "--role", "unit_hr", "--unit", UNIT_B, "--name", "人事小王"],
                       env=cli_env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip()
    assert len(token) >= 40 and "\n" not in token
    rows = read(db, settings, "MATCH (u:User {token_hash: $h}) RETURN u.role AS role, u.unit_id AS unit", h=hash_token(token))
    assert rows == [{"role": "unit_hr", "unit": UNIT_B}]
    me = site.get(None, "/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["unit_id"] == UNIT_B
    bad = subprocess.run(["plantalent", "users", "add", "--role", "unit_hr"], env=cli_env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stdout == ""


def test_admin_creates_user_over_api(site: Site) -> None:
    r = site.post("admin", "/api/users", json={"role": "manager", "name": "部里"})
    assert r.status_code == 201 and r.json()["token"]
    assert site.get(None, "/api/me", headers={"Authorization": f"Bearer {r.json()['token']}"}).status_code == 200
    bad = site.post("admin", "/api/users", json={"role": "unit_hr"})
    assert bad.status_code == 422 and bad.json()["detail"]


def test_past_staff_person_out_of_scope_but_current_in(site: Site) -> None:
    assert site.get("hr_a", f"/api/persons/{P4}").status_code == 404
    assert site.get("hr_a", f"/api/persons/{P2}").status_code == 200
    assert site.get("hr_b", f"/api/persons/{P2}").status_code == 200
