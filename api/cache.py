"""Rendered JSON responses of read routes, kept per graph version.

Search, portrait and alert pages are read far more often than the graph changes (loads, tagging and
detection are batch jobs; alert decisions are a few a minute), and rendering one costs 10-25 ms of CPU
in the app and Neo4j. A response is kept under its route, parameters, the caller's view (masked or not,
alerts shown or not, the unit of a unit_hr caller), the as-of date and the graph version it was
computed at; a new version empties the cache. Audit events are written for every request, served
from the cache or not: the cache saves computing, never the record of who saw what.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from pydantic import BaseModel


def render(model: type[BaseModel], data: Any) -> bytes:
    """``data`` validated against the response model and dumped as JSON, as FastAPI would answer."""
    return model.model_validate(data, from_attributes=True).model_dump_json(by_alias=True).encode("utf-8")


def _newer(version: str, than: str | None) -> bool:
    """``version`` is later than ``than`` ("epoch:counter"; another epoch counts as later: a new database)."""
    if than is None:
        return True
    epoch, _, counter = version.rpartition(":")
    than_epoch, _, than_counter = than.rpartition(":")
    if epoch != than_epoch or not counter.isdigit() or not than_counter.isdigit():
        return True
    return int(counter) > int(than_counter)


class ResponseCache:
    """LRU of rendered bodies for one graph version, bounded in bytes; entries also expire after
    ``max_age_s`` (a backstop for changes made outside plantalent's writers, e.g. by hand in Cypher)."""

    def __init__(self, max_bytes: int, max_age_s: float) -> None:
        self.max_bytes, self.max_age_s = max_bytes, max_age_s
        self._items: OrderedDict[Hashable, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self._version: str | None = None
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, version: str, key: Hashable) -> bytes | None:
        """The body kept for ``key`` at ``version``, or None."""
        with self._lock:
            if version != self._version:
                if not _newer(version, self._version):  # a request that read the version just before a change
                    return None
                self._reset(version)
            item = self._items.get(key)
            if item is None or time.monotonic() - item[0] > self.max_age_s:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, version: str, key: Hashable, body: bytes) -> None:
        """Keep ``body``, computed at ``version`` (dropped if the version has moved on since)."""
        if len(body) > self.max_bytes // 8:  # one huge page must not evict everything else
            return
        with self._lock:
            if version != self._version:
                if not _newer(version, self._version):
                    return
                self._reset(version)
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._items[key] = (time.monotonic(), body)
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    def _reset(self, version: str) -> None:
        self._items.clear()
        self._bytes = 0
        self._version = version


class SingleFlight:
    """Concurrent requests for the same answer share one computation (within one event loop).

    When the version moves, every page is computed again; without this, fifty managers opening the
    national dashboard at once would run fifty identical aggregations of several seconds each."""

    def __init__(self) -> None:
        self._running: dict[Hashable, asyncio.Future[bytes]] = {}

    async def run(self, key: Hashable, compute: Callable[[], Awaitable[bytes]]) -> tuple[bytes, bool]:
        """(body, shared): ``compute()``'s body, or that of the same computation already running."""
        running = self._running.get(key)
        if running is not None:
            try:
                return await asyncio.shield(running), True
            except asyncio.CancelledError:
                if not running.cancelled():  # this request was cancelled, not the one computing
                    raise
                # The computing request was cancelled (its client left): compute here instead.
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._running[key] = future
        try:
            body = await compute()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody else waited
            raise
        else:
            future.set_result(body)
            return body, False
        finally:
            if self._running.get(key) is future:
                del self._running[key]
