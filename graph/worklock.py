"""The graph's one writer slot: loads, refreshes and ingest jobs take it so that they never interleave,
whichever process (CLI, any serve worker on any host sharing the Neo4j) runs them.

The slot is a ``:Lock`` node holding its holder (`graph.process.Owner`), what it does and a heartbeat.
Taking it is one write transaction that first locks the node, so concurrent takers are serialised by
Neo4j itself. A holder that is gone (its process is dead on this host, or its heartbeat is older than
``settings.stale_after_s``) no longer holds the slot: a holder killed with -9 never blocks the next one.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.cypher import CypherFiles
from graph.db import write_once
from graph.errors import Conflict
from graph.process import Heartbeat, Owner, alive, this_process
from graph.settings import Settings

CYPHER = CypherFiles(__file__, "worklock")
SLOT = "writer"


class WriterBusy(Conflict):
    """The writer slot is held by another live process."""


@dataclass(frozen=True)
class Holder:
    """Who holds the slot: the process, what it does, since when, its last heartbeat."""

    owner: Owner | None
    what: str
    since: datetime | None
    heartbeat_at: datetime | None

    def describe(self) -> str:
        who = self.owner.label() if self.owner else "?"
        return f"{self.what} ({who}, since {self.since:%Y-%m-%d %H:%M:%S})" if self.since else f"{self.what} ({who})"


def _native(value: Any) -> datetime | None:
    return value.to_native() if hasattr(value, "to_native") else value


def is_gone(owner: Owner | None, heartbeat_at: datetime | None, settings: Settings, now: datetime | None = None) -> bool:
    """Whether a holder (of the slot, a load, a job) has stopped for good: its process is dead on this
    host, or (another host) its heartbeat is older than ``settings.stale_after_s``."""
    state = alive(owner)
    if state is not None:
        return not state
    now = now or datetime.now(UTC)
    return heartbeat_at is None or now - heartbeat_at > timedelta(seconds=settings.stale_after_s)


def holder(driver: Driver, settings: Settings) -> Holder | None:
    """The live holder of the writer slot, or None when it is free."""
    rec = driver.execute_query(CYPHER.load("holder"), name=SLOT, database_=settings.neo4j_database).records[0]
    return _live(rec, settings)


def _live(rec: Any, settings: Settings) -> Holder | None:
    if rec["token"] is None:
        return None
    owner = Owner.from_dict(json.loads(rec["holder"]) if rec["holder"] else None)
    beat = _native(rec["heartbeat_at"])
    if is_gone(owner, beat, settings):
        return None
    return Holder(owner, rec["what"] or "", _native(rec["since"]), beat)


class WriterSlot:
    """``with WriterSlot(driver, settings, "load …"):`` holds the writer slot for the block, its
    heartbeat renewed on a background thread. ``wait=False`` raises WriterBusy when it is taken;
    otherwise the slot is polled until free (``on_wait`` is told once who holds it)."""

    def __init__(self, driver: Driver, settings: Settings, what: str, *, wait: bool = True,
                 on_wait: Callable[[Holder], None] | None = None, poll_s: float = 1.0) -> None:
        self.driver, self.settings, self.what = driver, settings, what
        self.wait, self.on_wait, self.poll_s = wait, on_wait, poll_s
        self.token = uuid.uuid4().hex
        self.owner = this_process()
        self._heartbeat: Heartbeat | None = None

    def try_acquire(self) -> Holder | None:
        """Take the slot if it is free (None), else return its live holder."""

        def work(tx: ManagedTransaction) -> Holder | None:
            now = datetime.now(UTC)
            rec = tx.run(CYPHER.load("lock"), name=SLOT, now=now).single()
            assert rec is not None
            current = _live(rec, self.settings)
            if current is not None and rec["token"] != self.token:
                return current
            tx.run(CYPHER.load("take"), name=SLOT, holder=json.dumps(self.owner.as_dict()), what=self.what,
                   token=self.token, now=now).consume()
            return None

        with self.driver.session(database=self.settings.neo4j_database) as session:
            return session.execute_write(work)

    def acquire(self) -> None:
        told = False
        while (current := self.try_acquire()) is not None:
            if not self.wait:
                raise WriterBusy(f"the graph is being written by {current.describe()}; try again when it has finished")
            if self.on_wait is not None and not told:
                self.on_wait(current)
                told = True
            time.sleep(self.poll_s)
        self._heartbeat = Heartbeat(self.beat, self.settings.heartbeat_s).__enter__()

    def beat(self) -> None:
        write_once(self.driver, self.settings, CYPHER.load("beat"), name=SLOT, token=self.token, now=datetime.now(UTC))

    def release(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.stop()
            self._heartbeat = None
        self.driver.execute_query(CYPHER.load("release"), name=SLOT, token=self.token,
                                  database_=self.settings.neo4j_database)

    def __enter__(self) -> WriterSlot:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.release()
        except Exception:  # noqa: BLE001 - the database may be gone; the slot then expires by itself
            if exc[0] is None:
                raise
