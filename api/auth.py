"""Users and bearer tokens: tokens are shown once and stored only as their SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Literal

from neo4j import Driver

import queries
from graph.db import read, write
from graph.settings import Settings

Role = Literal["manager", "inspector", "unit_hr", "admin"]
ROLES: tuple[str, ...] = ("manager", "inspector", "unit_hr", "admin")
# Roles that see ID numbers and phones in full (each such view is audited).
UNMASKED_ROLES = frozenset({"inspector", "admin"})


class UserError(ValueError):
    """A user cannot be created as asked (unknown role, unit_hr without a unit)."""


@dataclass(frozen=True)
class Principal:
    """The signed-in caller."""

    user_id: str
    role: str
    unit_id: str | None = None
    name: str | None = None

    @property
    def unmasked(self) -> bool:
        return self.role in UNMASKED_ROLES


def hash_token(token: str) -> str:
    """SHA-256 hex of a token (what is stored on :User)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(driver: Driver, settings: Settings, role: str, unit_id: str | None = None,
                name: str | None = None) -> tuple[str, str]:
    """Create a user; return (user_id, token). The token is not kept anywhere."""
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if role == "unit_hr" and not unit_id:
        raise UserError("role unit_hr needs --unit UNIT_ID")
    if role != "unit_hr":
        unit_id = unit_id or None
    token = secrets.token_urlsafe(32)
    user_id = f"{role}-{secrets.token_hex(4)}"
    write(driver, settings, queries.load("api/user_create"), user_id=user_id, role=role, unit_id=unit_id,
          name=name or user_id, token_hash=hash_token(token))
    return user_id, token


def list_users(driver: Driver, settings: Settings) -> list[dict[str, object]]:
    """All users, without token hashes."""
    return read(driver, settings, queries.load("api/users_list"))


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
        key = hash_token(token)
        now = time.monotonic()
        rows = read(driver, settings, queries.load("api/user_by_token"), token_hash=key)
        principal = Principal(**rows[0]) if rows else None
        with self._lock:
            if len(self._items) > 10_000:  # bounded: guessed tokens must not grow memory
                self._items.clear()
            # Misses are cached briefly too, but a user created meanwhile is found at next expiry.
            self._items[key] = (now + (self.ttl_s if principal else min(self.ttl_s, 2.0)), principal)
        return principal
