"""Disputes (异议, DESIGN.md Casework): unit HR contests a record of its own staff; an inspector or
admin upholds it (the record is set aside, graph.records) or rejects it (with a reason).

Every filing and resolution writes, in one transaction, the dispute, its audit event, the notices
(queries.inbox) and the graph version; an upheld dispute's record leaves rules, credit and
portraits in that same transaction.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, date, datetime
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.cypher import CypherFiles
from graph.db import read
from graph.errors import Conflict, InvalidInput, NotFound
from graph.records import KINDS, find_in, set_aside_in
from graph.settings import Settings
from graph.version import bump_in
from queries.audit import record_in
from queries.inbox import Notice, notify_case_users_in, notify_in
from queries.scope import Scope, visible_persons
from queries.users import Principal

CYPHER = CypherFiles(__file__, "disputes")

STATUSES = ("open", "upheld", "rejected")
KIND_LABELS = {"registration": "注册", "employment": "任职", "insurance": "社保", "membership": "项目成员"}
# What a dispute keeps of its record (never the record's key holding an ID number).
SHOWN = ("unit_id", "unit_name", "cert_no", "valid_from", "valid_to", "start_date", "end_date", "position",
         "payer_name", "payer_type", "province", "start_month", "end_month", "project_id", "project_name", "role")


class DisputeNotFound(NotFound):
    """No such dispute, person or record in the caller's scope."""


class DisputeConflict(Conflict):
    """The dispute or its record is not in a state for this (already resolved, already disputed)."""


class DisputeError(InvalidInput):
    """A dispute request that lacks what it needs."""


def _plain(v: Any) -> Any:
    return v.iso_format() if hasattr(v, "iso_format") else v.isoformat() if isinstance(v, date) else v


def _snapshot(record: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(record[k]) for k in SHOWN if record.get(k) is not None}


def file_dispute(driver: Driver, settings: Settings, user: Principal, person_id: str, kind: str, key: str,
                 reason: str) -> dict[str, Any]:
    """Unit HR files a dispute on a current record of one of its staff; returns the dispute.

    DisputeNotFound when the person is not its staff or has no such record; DisputeConflict when the
    record already has an open dispute; DisputeError without a reason or for an unknown kind.
    """
    if user.role != "unit_hr" or not user.unit_id:
        raise DisputeNotFound()
    if kind not in KINDS:
        raise DisputeError(f"record kind must be one of {', '.join(KINDS)} (not {kind!r})")
    if not reason.strip():
        raise DisputeError("a dispute needs a reason")
    if person_id not in visible_persons(driver, settings, Scope.of(user), [person_id], settings.today()):
        raise DisputeNotFound()
    dispute_id = f"D-{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(4)}"
    now = datetime.now(UTC)

    def work(tx: ManagedTransaction) -> None:
        record = find_in(tx, kind, person_id, key)
        if record is None:
            raise DisputeNotFound()
        if tx.run(CYPHER.load("open_on"), person_id=person_id, kind=kind, key=key).single() is not None:
            raise DisputeConflict("this record already has an open dispute")
        filer = tx.run(CYPHER.load("create"), dispute_id=dispute_id, person_id=person_id, unit_id=user.unit_id,
                       kind=kind, key=key, record=json.dumps(_snapshot(record), ensure_ascii=False, default=str),
                       record_province=record.get("unit_province"), reason=reason.strip(), user_id=user.user_id,
                       now=now).single()
        assert filer is not None
        provinces = [p for p in (filer["unit_province"], record.get("unit_province")) if p]
        notify_case_users_in(tx, f"dispute_filed|{dispute_id}", "dispute_filed",
                             f"新异议 {dispute_id}：{filer['unit_name'] or user.unit_id} 对{KIND_LABELS[kind]}记录提出异议",
                             "/disputes", dispute_id, provinces)
        record_in(tx, user, "dispute_file", dispute_id, {"kind": kind, "key": key, "reason": reason.strip()})
        bump_in(tx, "dispute")

    with driver.session(database=settings.neo4j_database) as session:
        session.execute_write(work)
    out = get_dispute(driver, settings, dispute_id, Scope.of(user))
    assert out is not None
    return out


def resolve_dispute(driver: Driver, settings: Settings, user: Principal, dispute_id: str, outcome: str,
                    comment: str) -> dict[str, Any]:
    """An inspector/admin upholds (the record is set aside) or rejects (reason required) an open dispute."""
    if outcome not in ("upheld", "rejected"):
        raise DisputeError(f"outcome must be upheld or rejected (not {outcome!r})")
    if outcome == "rejected" and not comment.strip():
        raise DisputeError("rejecting a dispute needs a reason")
    scope = Scope.of(user)
    now = datetime.now(UTC)

    def work(tx: ManagedTransaction) -> None:
        d = tx.run(CYPHER.load("for_update"), dispute_id=dispute_id).single()
        if d is None or (scope.province and scope.province not in d["provinces"]):
            raise DisputeNotFound()
        if d["status"] != "open":
            raise DisputeConflict(f"dispute {dispute_id} is already {d['status']}",
                                  details={"status": d["status"], "allowed": []})
        if outcome == "upheld" and not set_aside_in(tx, d["kind"], d["person_id"], d["record_key"], dispute_id, now):
            raise DisputeConflict("the disputed record is no longer current (a later load changed it)")
        tx.run(CYPHER.load("resolve"), dispute_id=dispute_id, status=outcome, comment=comment.strip(),
               user_id=user.user_id, now=now).consume()
        verdict = "成立，记录已搁置" if outcome == "upheld" else "不成立"
        notify_in(tx, [Notice(f"dispute_resolved|{dispute_id}", d["filed_by"], "dispute_resolved",
                              f"异议 {dispute_id} 处理结果：{verdict}", "/", dispute_id)], now)
        record_in(tx, user, "dispute_resolve", dispute_id, {"outcome": outcome, "comment": comment.strip()})
        bump_in(tx, "dispute")

    with driver.session(database=settings.neo4j_database) as session:
        session.execute_write(work)
    out = get_dispute(driver, settings, dispute_id, scope)
    assert out is not None
    return out


def _public(row: dict[str, Any]) -> dict[str, Any]:
    d = {k: _plain(v) for k, v in row.items()}
    d["record"] = json.loads(d["record"]) if isinstance(d.get("record"), str) else d.get("record")
    d["kind_label"] = KIND_LABELS.get(d.get("kind") or "", d.get("kind"))
    return d


def list_disputes(driver: Driver, settings: Settings, scope: Scope, status: str | None = None,
                  person_id: str | None = None, limit: int = 500) -> dict[str, Any]:
    """Disputes in ``scope`` (unit HR: its unit's; a province: those concerning it), newest first."""
    rows = read(driver, settings, CYPHER.load("list"), unit_id=scope.unit_id, province=scope.province, status=status,
                person_id=person_id, limit=limit)
    if not rows:
        return {"data": [], "count": 0}
    return {"data": [_public(x) for x in rows[0]["data"]], "count": rows[0]["count"]}


def get_dispute(driver: Driver, settings: Settings, dispute_id: str, scope: Scope) -> dict[str, Any] | None:
    """One dispute in ``scope``, or None."""
    rows = read(driver, settings, CYPHER.load("get"), dispute_id=dispute_id, unit_id=scope.unit_id,
                province=scope.province)
    return _public(rows[0]["dispute"]) if rows else None
