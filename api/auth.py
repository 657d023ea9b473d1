"""Bearer tokens of the web service: who a token belongs to, kept for a few seconds per process."""

from __future__ import annotations

import threading
import time

from neo4j import Driver

from graph.settings import Settings
from queries.users import Principal, hash_token, user_by_token


class TokenCache:
    """Token hash -> Principal for a few seconds, so each request does not cost a lookup."""

    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._items: dict[str, tuple[float, Principal | None]] = {}
        self._lock = threading.Lock()

    def peek(self, token: str) -> tuple[bool, Principal | None]:
        """(known, user) from the cache alone: known is False when ``lookup`` must ask Neo4j."""
        with self._lock:
            hit = self._items.get(hash_token(token))
        if hit and hit[0] > time.monotonic():
            return True, hit[1]
        return False, None

    def lookup(self, driver: Driver, settings: Settings, token: str) -> Principal | None:
        """The user holding ``token``, or None."""
        known, principal = self.peek(token)
        if known:
            return principal
        now = time.monotonic()
        principal = user_by_token(driver, settings, token)
        with self._lock:
            if len(self._items) > 10_000:  # bounded: guessed tokens must not grow memory
                self._items.clear()
            # Misses are cached briefly too, but a user created meanwhile is found at next expiry.
            self._items[hash_token(token)] = (now + (self.ttl_s if principal else min(self.ttl_s, 2.0)), principal)
        return principal
