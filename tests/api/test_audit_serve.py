"""The audit log's group commit, and `plantalent serve --workers 2` over HTTP."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from neo4j import Driver

from graph.db import connect
from graph.settings import Settings
from queries.audit import AuditLog
from queries.users import Principal, create_user
from tests.api.conftest import wait_until_serving
from tests.conftest import free_port


def test_concurrent_events_are_all_committed_before_record_returns(db: Driver, settings: Settings) -> None:
    log = AuditLog(db, settings)
    who = Principal(user_id="u-audit", role="inspector", unit_id=None, name=None)
    seen_before_return: list[int] = []

    def view(i: int) -> None:
        log.record(who, "view_portrait", f"T{i:03d}", {"i": i})
        # record() has returned: the event must already be readable by anyone.
        n = db.execute_query("MATCH (e:AuditEvent {target: $t}) RETURN count(e) AS n", t=f"T{i:03d}").records[0]["n"]
        seen_before_return.append(n)

    threads = [threading.Thread(target=view, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen_before_return == [1] * 40
    rows = db.execute_query("MATCH (e:AuditEvent {user_id: 'u-audit'}) RETURN e.action AS a, e.role AS r, e.detail AS d, e.at AS at").records
    assert len(rows) == 40
    assert {r["a"] for r in rows} == {"view_portrait"} and {r["r"] for r in rows} == {"inspector"}
    assert all(r["at"] is not None and '"i":' in r["d"] for r in rows)


def test_a_failed_write_reaches_the_request(settings: Settings, neo4j_server: object) -> None:
    driver = connect(settings, start=False)
    log = AuditLog(driver, settings)
    driver.close()  # every write now fails
    with pytest.raises(Exception):  # noqa: B017 - the driver's own error type, whatever it is
        log.record(Principal(user_id="u-x", role="admin", unit_id=None, name=None), "user_add", "x")


def test_serve_with_two_workers_answers_and_audits(db: Driver, settings: Settings, cli_env: dict[str, str]) -> None:
    _, token = create_user(db, settings, "inspector", None, "workers-test")
    port = free_port()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "plantalent"), "serve", "--port", str(port), "--workers", "2", "--no-access-log"],
                            env=cli_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base, proc, 180, lambda: proc.stderr.read() if proc.stderr else "")
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            codes = {client.get("/api/alerts?page_size=5").status_code for _ in range(20)}
            assert codes == {200}
            assert client.get("/api/alerts", headers={"Authorization": "Bearer wrong"}).status_code == 401
        n = db.execute_query("MATCH (e:AuditEvent {action: 'view_alerts'}) RETURN count(e) AS n").records[0]["n"]
        assert n >= 20
    finally:
        proc.terminate()
        proc.wait(timeout=60)
