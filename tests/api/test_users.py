"""Tokens over real HTTP: they expire, a disabled user's token fails within 2 seconds (through the API
and through the CLI, with answers cached meanwhile), every refused token gets the same 401, and every
user change is audited in the transaction that makes it (a failing audit write leaves no user behind)."""

from __future__ import annotations

import subprocess
import time

import httpx
import pytest
from neo4j import Driver

from graph.settings import Settings
from queries.users import create_user
from tests.api.conftest import CL2_ALERT, P1, Site

REVOKE_WITHIN_S = 2.0


def _events(db: Driver, action: str, target: str) -> list[dict[str, object]]:
    rows = db.execute_query("MATCH (e:AuditEvent {action: $a, target: $t}) RETURN e {.*} AS e", a=action, t=target).records
    return [r["e"] for r in rows]


def _revoked_within(site: Site, token: str, disable: object) -> float:
    """Seconds from the disable's return until the token answers 401 (warm caches first)."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=site.base, headers=headers, timeout=30) as c:
        for _ in range(3):  # the token and the portrait are now kept by the process
            assert c.get("/api/me").status_code == 200
            assert c.get(f"/api/persons/{P1}").status_code == 200
        disable()  # type: ignore[operator]
        done = time.monotonic()
        while True:
            r = c.get(f"/api/persons/{P1}")
            if r.status_code == 401:
                return time.monotonic() - done
            assert r.status_code == 200
            assert time.monotonic() - done < 30, "token still accepted after 30 s"
            time.sleep(0.05)


def test_disable_over_the_api_revokes_within_2_s(site: Site, db: Driver, settings: Settings) -> None:
    user_id, token = create_user(db, settings, "inspector", None, "to be disabled")
    took = _revoked_within(site, token, lambda: site.post("admin", f"/api/users/{user_id}/disable").raise_for_status())
    assert took < REVOKE_WITHIN_S
    assert site.get(None, "/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    users = {u["user_id"]: u for u in site.get("admin", "/api/users").json()["data"]}
    assert users[user_id]["disabled"] is True
    [event] = _events(db, "user_disable", user_id)
    assert event["user_id"] == site.user_ids["admin"] and event["role"] == "admin"


def test_disable_on_the_cli_revokes_within_2_s(site: Site, db: Driver, settings: Settings, cli_env: dict[str, str]) -> None:
    user_id, token = create_user(db, settings, "manager", None, "cli disabled")

    def disable() -> None:
        r = subprocess.run(["plantalent", "users", "disable", user_id], env=cli_env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr

    assert _revoked_within(site, token, disable) < REVOKE_WITHIN_S
    [event] = _events(db, "user_disable", user_id)
    assert str(event["user_id"]).startswith("cli:") and event["role"] == "cli"
    bad = subprocess.run(["plantalent", "users", "disable", "nobody-123"], env=cli_env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "no user nobody-123" in bad.stderr


def test_disable_unknown_user_is_404_and_only_for_admins(site: Site) -> None:
    assert site.post("admin", "/api/users/nobody-123/disable").status_code == 404
    assert site.post("inspector", f"/api/users/{site.user_ids['manager']}/disable").status_code == 404
    assert site.get("manager", "/api/me").status_code == 200


def test_tokens_expire(site: Site, db: Driver, settings: Settings) -> None:
    user_id, token = create_user(db, settings, "manager", None, "short", days=1)
    headers = {"Authorization": f"Bearer {token}"}
    assert site.get(None, "/api/me", headers=headers).status_code == 200
    expires = db.execute_query("MATCH (u:User {user_id: $u}) RETURN u.expires_at AS x, u.created_at AS c", u=user_id).records[0]
    assert round((expires["x"].to_native() - expires["c"].to_native()).total_seconds()) == 86400
    # A day later (moved back here), the token fails, in this process too once its cached lookup is stale.
    db.execute_query("MATCH (u:User {user_id: $u}) SET u.expires_at = datetime() - duration('PT1S')", u=user_id)
    time.sleep(2.5)  # a cached lookup for a miss lasts 2 s; a hit is renewed with the version or its expiry
    with httpx.Client(base_url=site.base, timeout=30) as c:
        deadline = time.monotonic() + settings.api_token_cache_s + 5
        while c.get("/api/me", headers=headers).status_code != 401:
            assert time.monotonic() < deadline
            time.sleep(0.5)
    # A user of an earlier version (no expiry stored) holds its token 90 days from creation.
    legacy_id, legacy = create_user(db, settings, "manager", None, "legacy")
    db.execute_query("MATCH (u:User {user_id: $u}) REMOVE u.expires_at SET u.created_at = datetime() - duration('P91D')",
                     u=legacy_id)
    assert site.get(None, "/api/me", headers={"Authorization": f"Bearer {legacy}"}).status_code == 401


def test_cli_users_add_days_and_audit(site: Site, db: Driver, cli_env: dict[str, str]) -> None:
    r = subprocess.run(["plantalent", "users", "add", "--role", "manager", "--name", "按期", "--days", "7"],
                       env=cli_env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip()
    me = site.get(None, "/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    row = db.execute_query("MATCH (u:User {user_id: $u}) RETURN duration.inDays(u.created_at, u.expires_at).days AS d",
                           u=me["user_id"]).records[0]
    assert row["d"] == 7
    [event] = _events(db, "user_add", me["user_id"])
    assert str(event["user_id"]).startswith("cli:") and '"days": 7' in str(event["detail"])
    bad = subprocess.run(["plantalent", "users", "add", "--role", "manager", "--days", "0"], env=cli_env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stdout == ""


def test_api_user_add_is_audited(site: Site, db: Driver) -> None:
    r = site.post("admin", "/api/users", json={"role": "inspector", "name": "新核查员", "days": 30})
    assert r.status_code == 201
    [event] = _events(db, "user_add", r.json()["user_id"])
    assert event["user_id"] == site.user_ids["admin"]
    assert site.post("admin", "/api/users", json={"role": "manager", "days": 0}).status_code == 422


@pytest.mark.parametrize("token", ["not-a-token", "x" * 600, "Ünïcode-token", "a b", "=" * 40, "%00"])
def test_every_refused_token_gets_the_same_401(site: Site, db: Driver, settings: Settings, token: str) -> None:
    unknown = site.get(None, "/api/stats", headers={"Authorization": f"Bearer {token}".encode()})
    none = site.get(None, "/api/stats")
    user_id, disabled = create_user(db, settings, "manager", None, "off")
    site.post("admin", f"/api/users/{user_id}/disable").raise_for_status()
    off = site.get(None, "/api/stats", headers={"Authorization": f"Bearer {disabled}"})
    assert unknown.status_code == none.status_code == off.status_code == 401
    assert unknown.content == none.content == off.content
    assert unknown.headers["www-authenticate"] == "Bearer"


def test_a_failing_audit_write_leaves_no_change(site: Site, db: Driver) -> None:
    # Make every further audit event by the admin fail (a uniqueness constraint its event would break).
    db.execute_query("MATCH (e:AuditEvent) DETACH DELETE e")
    db.execute_query("CREATE CONSTRAINT audit_role_once IF NOT EXISTS FOR (e:AuditEvent) REQUIRE e.role IS UNIQUE")
    try:
        db.execute_query("CREATE (:AuditEvent {role: 'admin', action: 'seed', at: datetime()})")
        r = site.post("admin", "/api/users", json={"role": "manager", "name": "never-created"})
        assert r.status_code >= 400
        assert db.execute_query("MATCH (u:User {name: 'never-created'}) RETURN count(u) AS n").records[0]["n"] == 0
        victim = site.user_ids["manager"]
        assert site.post("admin", f"/api/users/{victim}/disable").status_code >= 400
        assert site.get("manager", "/api/me").status_code == 200  # not disabled: the change went with its event
        # an alert decision, likewise: no decision without its audit event
        state = "MATCH (a:Alert {alert_id: $a}) RETURN a.status AS status, COUNT { (a)-[:HAS_EVENT]->() } AS events"
        before = db.execute_query(state, a=CL2_ALERT).records[0].data()
        decided = site.post("admin", f"/api/alerts/{CL2_ALERT}/status", json={"status": "dismissed", "comment": "误报"})
        assert decided.status_code >= 400
        assert db.execute_query(state, a=CL2_ALERT).records[0].data() == before and before["status"] == "open"
    finally:
        db.execute_query("DROP CONSTRAINT audit_role_once IF EXISTS")
