"""The durable audit log: one :AuditEvent node per unmasked view or state change.

A change (an alert decision, a user created or disabled) writes its event with ``record_in`` inside
the very transaction that makes the change, so there is never a change without its event nor an
event of a change that was rolled back. Views write theirs with ``AuditLog`` before the answer is
sent.

Writes use group commit: the events of concurrent requests go to Neo4j in one transaction, and each
request returns only after the transaction holding its event has committed. One commit (a
transaction-log flush) per event was the largest cost of an inspector's portrait or alert-list view
under load; batching keeps the same guarantee for a fraction of it.
"""

from __future__ import annotations

import asyncio
import json
import queue
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from neo4j import Driver, ManagedTransaction

from graph.cypher import CypherFiles
from graph.db import read, write
from graph.settings import Settings

CYPHER = CypherFiles(__file__, "audit")


class Actor(Protocol):
    """Who acts: a signed-in user (``queries.users.Principal``) or the command line (``cli_actor``)."""

    @property
    def user_id(self) -> str: ...

    @property
    def role(self) -> str: ...

MAX_BATCH = 256


def event(user_id: str, role: str, action: str, target: str | None, detail: dict[str, Any] | None = None) -> dict[str, Any]:
    """One row of queries/audit/write.cypher, stamped now."""
    return {"at": datetime.now(UTC), "user_id": user_id, "role": role, "action": action, "target": target,
            "detail": json.dumps(detail, ensure_ascii=False, default=str) if detail else None}


def record_in(tx: ManagedTransaction, who: Actor, action: str, target: str | None,
              detail: dict[str, Any] | None = None) -> None:
    """Write one audit event inside the open write transaction ``tx`` (committed, or rolled back,
    with the change it records)."""
    tx.run(CYPHER.load("write"), events=[event(who.user_id, who.role, action, target, detail)]).consume()


def write_events(driver: Driver, settings: Settings, events: list[dict[str, Any]]) -> None:
    """Write audit events in one transaction."""
    write(driver, settings, CYPHER.load("write"), events=events)


@dataclass
class _Pending:
    row: dict[str, Any]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    # Set for a coroutine waiting in an event loop (record_async) instead of a thread.
    loop: asyncio.AbstractEventLoop | None = None
    future: asyncio.Future[None] | None = None

    def settle(self, error: BaseException | None) -> None:
        self.error = error
        if self.loop is not None and self.future is not None:
            self.loop.call_soon_threadsafe(_settle_future, self.future, error)
        else:
            self.done.set()


def _settle_future(future: asyncio.Future[None], error: BaseException | None) -> None:
    if future.done():  # the request gave up waiting (timeout, client gone)
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)


class AuditLog:
    """Group-committing audit writer of a long-lived process (the web app)."""

    def __init__(self, driver: Driver, settings: Settings, timeout_s: float = 30.0) -> None:
        self.driver, self.settings, self.timeout_s = driver, settings, timeout_s
        self._queue: queue.Queue[_Pending] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self._thread.start()

    def record(self, who: Actor, action: str, target: str | None, detail: dict[str, Any] | None = None) -> None:
        """Write one audit event; returns once it is committed (raises if it could not be)."""
        pending = _Pending(event(who.user_id, who.role, action, target, detail))
        self._queue.put(pending)
        if not pending.done.wait(self.timeout_s):
            raise TimeoutError("audit event not committed in time")
        if pending.error is not None:
            raise pending.error

    async def record_async(self, who: Actor, action: str, target: str | None,
                           detail: dict[str, Any] | None = None) -> None:
        """``record`` for a coroutine: waits in the event loop, not in a thread."""
        loop = asyncio.get_running_loop()
        pending = _Pending(event(who.user_id, who.role, action, target, detail), loop=loop, future=loop.create_future())
        self._queue.put(pending)
        assert pending.future is not None
        try:
            await asyncio.wait_for(pending.future, self.timeout_s)
        except TimeoutError as exc:
            raise TimeoutError("audit event not committed in time") from exc

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            error: BaseException | None = None
            try:
                write_events(self.driver, self.settings, [p.row for p in batch])
            except BaseException as exc:  # noqa: BLE001 - handed to every waiting request
                error = exc
            for p in batch:
                p.settle(error)


def list_events(driver: Driver, settings: Settings, *, user_id: str | None = None, action: str | None = None,
                target: str | None = None, page: int = 1, page_size: int = 50) -> dict[str, Any]:
    """Audit events, newest first: {data, count}."""
    rows = read(driver, settings, CYPHER.load("list"), user_id=user_id, action=action, target=target,
                skip=(page - 1) * page_size, limit=page_size)
    row = rows[0] if rows else {"count": 0, "data": []}
    return {"data": row["data"], "count": row["count"]}
