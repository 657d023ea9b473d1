"""The durable audit log: one :AuditEvent node per unmasked view or state change."""

from __future__ import annotations

import json
from typing import Any

from neo4j import Driver

import queries
from api.auth import Principal
from graph.db import read, write
from graph.settings import Settings


def record(driver: Driver, settings: Settings, who: Principal, action: str, target: str | None,
           detail: dict[str, Any] | None = None) -> None:
    """Write one audit event (who, when, what); committed before the response is sent."""
    write(driver, settings, queries.load("api/audit_write"), user_id=who.user_id, role=who.role,
          action=action, target=target,
          detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None)


def list_events(driver: Driver, settings: Settings, *, user_id: str | None = None, action: str | None = None,
                target: str | None = None, page: int = 1, page_size: int = 50) -> dict[str, Any]:
    """Audit events, newest first: {data, count}."""
    rows = read(driver, settings, queries.load("api/audit_list"), user_id=user_id, action=action, target=target,
                skip=(page - 1) * page_size, limit=page_size)
    row = rows[0] if rows else {"count": 0, "data": []}
    return {"data": row["data"], "count": row["count"]}
