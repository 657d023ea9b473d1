"""Web users and their tokens: a token is shown once and stored only as its SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Literal

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.db import read, write
from graph.errors import InvalidInput
from graph.settings import Settings
from ingest.normalize import province_name

CYPHER = CypherFiles(__file__, "users")

Role = Literal["manager", "inspector", "unit_hr", "admin"]
ROLES: tuple[str, ...] = ("manager", "inspector", "unit_hr", "admin")
# Roles that see ID numbers and phones in full (each such view is audited).
UNMASKED_ROLES = frozenset({"inspector", "admin"})
# Roles a province may scope (DESIGN.md Casework, jurisdiction); the others are national or unit-scoped.
PROVINCIAL_ROLES = frozenset({"manager", "inspector"})


class UserError(InvalidInput):
    """A user cannot be created as asked (unknown role, unit_hr without a unit)."""


@dataclass(frozen=True)
class Principal:
    """A signed-in user: who acts, in which role and scope."""

    user_id: str
    role: str
    unit_id: str | None = None
    name: str | None = None
    province: str | None = None  # a provincial manager/inspector sees its province only; None = national

    @property
    def unmasked(self) -> bool:
        return self.role in UNMASKED_ROLES


def hash_token(token: str) -> str:
    """SHA-256 hex of a token (what is stored on :User)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(driver: Driver, settings: Settings, role: str, unit_id: str | None = None,
                name: str | None = None, province: str | None = None) -> tuple[str, str]:
    """Create a user; return (user_id, token). The token is not kept anywhere.

    ``province`` scopes a manager or inspector to one province (its full name is stored).
    """
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if role == "unit_hr" and not unit_id:
        raise UserError("role unit_hr needs --unit UNIT_ID")
    if province:
        if role not in PROVINCIAL_ROLES:
            raise UserError(f"--province scopes managers and inspectors only (not {role})")
        full = province_name(province)
        if full is None:
            raise UserError(f"unknown province {province!r}")
        province = full
    if role != "unit_hr":
        unit_id = unit_id or None
    token = secrets.token_urlsafe(32)
    user_id = f"{role}-{secrets.token_hex(4)}"
    write(driver, settings, CYPHER.load("create"), user_id=user_id, role=role, unit_id=unit_id,
          name=name or user_id, token_hash=hash_token(token), province=province or None)
    return user_id, token


def list_users(driver: Driver, settings: Settings) -> list[dict[str, object]]:
    """All users, without token hashes."""
    return read(driver, settings, CYPHER.load("list"))


def user_by_token(driver: Driver, settings: Settings, token: str) -> Principal | None:
    """The active user holding ``token``, or None."""
    rows = read(driver, settings, CYPHER.load("by_token"), token_hash=hash_token(token))
    return Principal(**rows[0]) if rows else None
