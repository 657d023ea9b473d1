"""Bearer tokens of the web service: who a token belongs to, kept per process for the current graph
version, and the limit on failed sign-ins per client.

The cache holds a lookup only while the graph version it was made at is current (a user disabled
moves the version, so every process asks Neo4j again within its version recheck), never past the
token's expiry, and never longer than ``ttl_s`` (a backstop for changes made by hand in Cypher).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from neo4j import Driver

from graph.settings import Settings
from queries.users import Principal, hash_token, user_by_token


class TokenCache:
    """Token hash -> Principal per graph version, so each request does not cost a lookup."""

    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._items: dict[str, tuple[str, float, Principal | None]] = {}
        self._lock = threading.Lock()

    def peek(self, token: str, version: str) -> tuple[bool, Principal | None]:
        """(known, user) from the cache alone: known is False when ``lookup`` must ask Neo4j."""
        with self._lock:
            hit = self._items.get(hash_token(token))
        if hit is None or hit[0] != version or hit[1] <= time.monotonic():
            return False, None
        principal = hit[2]
        if principal is not None and principal.expires_at is not None and principal.expires_at <= datetime.now(UTC):
            return False, None
        return True, principal

    def lookup(self, driver: Driver, settings: Settings, token: str, version: str) -> Principal | None:
        """The user holding ``token`` (enabled, not expired), or None; ``version`` is the graph version
        read before this lookup."""
        known, principal = self.peek(token, version)
        if known:
            return principal
        now = time.monotonic()
        principal = user_by_token(driver, settings, token)
        with self._lock:
            if len(self._items) > 10_000:  # bounded: guessed tokens must not grow memory
                self._items.clear()
            # Misses are kept briefly: a user created meanwhile (no version change) is found soon.
            self._items[hash_token(token)] = (version, now + (self.ttl_s if principal else min(self.ttl_s, 2.0)), principal)
        return principal


class SignInLimiter:
    """Failed sign-ins per client (its address), in a moving window (the ``limits`` library): once a
    client has failed ``rate`` (e.g. ``"10/minute"``) it is refused until the window moves on."""

    def __init__(self, rate: str) -> None:
        self.item: RateLimitItem = parse(rate)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def blocked(self, client: str) -> bool:
        """True if ``client`` may not try another token now."""
        return not self._limiter.test(self.item, client)

    def failed(self, client: str) -> None:
        """Count a failed sign-in of ``client``."""
        self._limiter.hit(self.item, client)

    def retry_after(self, client: str) -> int:
        """Seconds until ``client`` may try again (at least 1)."""
        reset, _ = self._limiter.get_window_stats(self.item, client)
        return max(1, int(reset - time.time()) + 1)
