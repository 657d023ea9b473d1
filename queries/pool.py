"""The expert pool's lifecycle (DESIGN.md "Expert pool and review panels", Pool): a manager's or
admin's decision on an expert's status (在库 / 暂停 / 出库, with a reason) is written with its history
entry and its audit event in one transaction. experts.csv keeps its own word beside it
(``Expert.status_file``): a later load changes the status only when the file says something new
(queries/ingest/experts.cypher), so the newer of the two wins and both stay in the history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.cypher import CypherFiles
from graph.db import read
from graph.errors import InvalidInput, NotFound
from graph.settings import Settings
from graph.version import bump_in
from queries.audit import record_in
from queries.users import Principal

CYPHER = CypherFiles(__file__, "pool")
STATUSES = ("在库", "暂停", "出库")


def set_expert_status(driver: Driver, settings: Settings, expert_id: str, status: str, reason: str, *,
                      who: Principal) -> dict[str, Any]:
    """Decide an expert's pool status; returns the expert's status and history after the change."""
    if status not in STATUSES:
        raise InvalidInput(f"status 须为 {'/'.join(STATUSES)} 之一（不是 {status!r}）")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写状态变更的原因 (reason required)")

    def work(tx: ManagedTransaction) -> bool:
        rows = list(tx.run(CYPHER.load("set_status"), expert_id=expert_id, status=status, reason=reason,
                           now=datetime.now(UTC), actor=who.user_id))
        if not rows:
            return False
        record_in(tx, who, "expert_status", expert_id, {"status": status, "reason": reason})
        bump_in(tx, "expert status")
        return True

    with driver.session(database=settings.neo4j_database) as session:
        if not session.execute_write(work):
            raise NotFound(f"no expert {expert_id}")
    return status_history(driver, settings, expert_id) or {}


def status_history(driver: Driver, settings: Settings, expert_id: str) -> dict[str, Any] | None:
    """The expert's status now and every status the file or the service gave it, oldest first."""
    rows = read(driver, settings, CYPHER.load("history"), expert_id=expert_id)
    return rows[0] if rows else None
