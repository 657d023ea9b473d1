"""The inbox (DESIGN.md Casework): notices per user, read/unread.

Notices are written by what causes them, never by a polling loop: the detection run (new alerts in
a user's scope; assignments past their due date and rectifications past their deadline), the alert
lifecycle (an assignment) and disputes (a filed dispute for the inspectors who may resolve it, the
outcome for the unit HR user who filed it). Each notice has a deterministic ``notice_id``, so a
repeated run writes nothing twice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.cypher import CypherFiles
from graph.db import read, write
from graph.settings import Settings

CYPHER = CypherFiles(__file__, "inbox")

KINDS = ("new_alerts", "assigned", "overdue", "deadline", "dispute_filed", "dispute_resolved")
# Roles told about alerts and disputes to resolve (they are the roles that see them).
CASE_ROLES = ["inspector", "admin"]


@dataclass(frozen=True)
class Notice:
    """One inbox entry for ``user_id``; ``link`` is a page of this site."""

    notice_id: str
    user_id: str
    kind: str
    title: str
    link: str
    target: str | None = None


def notify_in(tx: ManagedTransaction, notices: list[Notice], now: datetime | None = None) -> None:
    """Write notices in the open transaction (a notice already there is left as it is)."""
    if notices:
        tx.run(CYPHER.load("write"), rows=[asdict(n) for n in notices], now=now or datetime.now(UTC)).consume()


def notify_case_users_in(tx: ManagedTransaction, notice_id: str, kind: str, title: str, link: str,
                         target: str | None, provinces: list[str]) -> None:
    """A notice to every active inspector/admin who can see something concerning ``provinces``
    (national users always; a provincial one when its province is among them)."""
    tx.run(CYPHER.load("to_case_users"), notice_id=notice_id, kind=kind, title=title, link=link, target=target,
           provinces=provinces, roles=CASE_ROLES, now=datetime.now(UTC)).consume()


def after_detection(driver: Driver, settings: Settings, run_id: str, today: date) -> int:
    """Notices of a detection run: the new alerts in each case user's scope (one notice per user and
    run), assignments past due and rectifications past their deadline (one per alert and date).
    Returns the number of notices written."""
    rows = write(driver, settings, CYPHER.load("after_detection"), run_id=run_id, today=today, roles=CASE_ROLES,
                 now=datetime.now(UTC))
    return int(rows[0]["n"]) if rows else 0


def list_notices(driver: Driver, settings: Settings, user_id: str, unread_only: bool = False,
                 limit: int = 100) -> dict[str, Any]:
    """A user's notices, newest first: {data, count, unread}."""
    rows = read(driver, settings, CYPHER.load("list"), user_id=user_id, unread_only=unread_only, limit=limit)
    row = rows[0] if rows else {"data": [], "count": 0, "unread": 0}
    return {"data": row["data"], "count": row["count"], "unread": row["unread"]}


def mark_read(driver: Driver, settings: Settings, user_id: str, notice_ids: list[str] | None) -> int:
    """Mark a user's notices read (all of them when ``notice_ids`` is None); returns how many changed."""
    rows = write(driver, settings, CYPHER.load("mark_read"), user_id=user_id, ids=notice_ids, now=datetime.now(UTC))
    return int(rows[0]["n"]) if rows else 0
