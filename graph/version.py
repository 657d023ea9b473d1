"""The graph's version: a change counter that every writer of shown data bumps (ingest, tagging,
detection, credit, alert decisions), so that long-lived readers (the web app's response cache and
expert index) know when what they hold is out of date."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.settings import Settings

CYPHER = CypherFiles(__file__, "version")


def bump(driver: Driver, settings: Settings, change: str) -> str:
    """Mark the graph changed (after ``change``'s writes have committed); returns the new version."""
    records = driver.execute_query(CYPHER.load("bump"), change=change, now=datetime.now(UTC),
                                   database_=settings.neo4j_database).records
    return str(records[0]["version"])


def bump_in(tx: Any, change: str) -> None:
    """Mark the graph changed inside an open write transaction (atomic with its writes)."""
    tx.run(CYPHER.load("bump"), change=change, now=datetime.now(UTC)).consume()


def read_version(driver: Driver, settings: Settings) -> str:
    """The current version ("" for a graph that no writer has changed yet)."""
    records = driver.execute_query(CYPHER.load("read"), database_=settings.neo4j_database,
                                   routing_="r").records
    return str(records[0]["version"])


class VersionWatch:
    """The version as a long-lived process sees it.

    Reading it costs a Neo4j round trip (about 1.5 ms of CPU), more than a cached response itself, so it
    is read again only when the last read is older than ``recheck_s``: another process's change shows
    within that time. ``changed()`` after this process's own write makes the next call read at once.
    """

    def __init__(self, driver: Driver, settings: Settings, recheck_s: float) -> None:
        self.driver, self.settings, self.recheck_s = driver, settings, recheck_s
        self._version: str | None = None
        self._checked = float("-inf")
        self._generation = 0  # counts this process's own changes
        self._lock = threading.Lock()

    def known(self) -> str | None:
        """The version if read within ``recheck_s``, else None (``current()`` would ask Neo4j)."""
        if time.monotonic() - self._checked < self.recheck_s:
            return self._version
        return None

    def current(self) -> str:
        """The version, read from Neo4j when the last read is older than ``recheck_s``."""
        version = self.known()
        if version is not None:
            return version
        with self._lock:  # one request reads; the others arriving meanwhile take its answer
            began, generation = time.monotonic(), self._generation
            if began - self._checked >= self.recheck_s or self._version is None:
                self._version = read_version(self.driver, self.settings)
                # Stamped with the time the read began, and not at all if this process changed the
                # graph meanwhile: a change committed during the read is never assumed seen.
                if generation == self._generation:
                    self._checked = began
            return self._version

    def changed(self) -> None:
        """This process has just changed the graph: the next ``current()`` reads the version again."""
        self._generation += 1
        self._checked = float("-inf")
