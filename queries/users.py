"""Web users and their tokens: a token is shown once and stored only as its SHA-256 hash; it expires
(90 days by default) and stops working at once when its user is disabled.

Every change to users is written with its audit event in the same transaction (``queries.audit.record_in``);
a disable also moves the graph version, so that every service process drops its cached answer for the
token within its version recheck (DESIGN.md "Scale-out").
"""

from __future__ import annotations

import getpass
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from neo4j import Driver, ManagedTransaction

from graph.cypher import CypherFiles
from graph.db import read
from graph.errors import Conflict, InvalidInput, NotFound
from graph.settings import Settings
from graph.version import bump_in
from ingest.normalize import province_name
from queries.audit import record_in

CYPHER = CypherFiles(__file__, "users")

Role = Literal["manager", "inspector", "unit_hr", "admin"]
ROLES: tuple[str, ...] = ("manager", "inspector", "unit_hr", "admin")
# Roles that see ID numbers and phones in full (each such view is audited).
UNMASKED_ROLES = frozenset({"inspector", "admin"})
# Roles a province may scope (DESIGN.md Casework, jurisdiction); the others are national or unit-scoped.
PROVINCIAL_ROLES = frozenset({"manager", "inspector"})
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650


class UserError(InvalidInput):
    """A user cannot be created as asked (unknown role, unit_hr without a unit, a bad lifetime)."""


class UserNotFound(NotFound):
    """No user with this user_id."""


class SelfDisable(Conflict):
    """An admin tried to disable its own user (which would lock it out mid-request)."""


@dataclass(frozen=True)
class Principal:
    """A signed-in user: who acts, in which role and scope, and until when the token holds."""

    user_id: str
    role: str
    unit_id: str | None = None
    name: str | None = None
    province: str | None = None  # a provincial manager/inspector sees its province only; None = national
    expires_at: datetime | None = None

    @property
    def unmasked(self) -> bool:
        return self.role in UNMASKED_ROLES


def cli_actor() -> Principal:
    """The command line as an actor of audit events: ``cli:<operating-system user>``."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        who = "unknown"
    return Principal(user_id=f"cli:{who}", role="cli")


def hash_token(token: str) -> str:
    """SHA-256 hex of a token (what is stored on :User)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _write(driver: Driver, settings: Settings, work: Any) -> Any:
    with driver.session(database=settings.neo4j_database) as session:
        return session.execute_write(work)


def create_user(driver: Driver, settings: Settings, role: str, unit_id: str | None = None,
                name: str | None = None, province: str | None = None, *, days: int = DEFAULT_TOKEN_DAYS,
                actor: Principal | None = None) -> tuple[str, str]:
    """Create a user whose token holds ``days`` days; return (user_id, token). The token is not kept
    anywhere; the creation is audited (``user_add`` by ``actor``, the command line if None) in the same
    transaction.

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
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise UserError(f"--days must be between 1 and {MAX_TOKEN_DAYS}, got {days}")
    if role != "unit_hr":
        unit_id = unit_id or None
    token = secrets.token_urlsafe(32)
    user_id = f"{role}-{secrets.token_hex(4)}"
    now = datetime.now(UTC)
    expires_at = now + timedelta(days=days)
    who = actor or cli_actor()

    def work(tx: ManagedTransaction) -> None:
        tx.run(CYPHER.load("create"), user_id=user_id, role=role, unit_id=unit_id, name=name or user_id,
               token_hash=hash_token(token), province=province or None, now=now, expires_at=expires_at).consume()
        record_in(tx, who, "user_add", user_id, {"role": role, "unit_id": unit_id, "province": province or None, "days": days})

    _write(driver, settings, work)
    return user_id, token


def disable_user(driver: Driver, settings: Settings, user_id: str, actor: Principal | None = None) -> dict[str, Any]:
    """Disable a user: its token fails from now on (every service process within its version recheck).
    Audited (``user_disable``) and the graph version moved in the same transaction; UserNotFound if
    there is no such user. Disabling a disabled user changes nothing but is audited again."""
    who = actor or cli_actor()
    if who.user_id == user_id:
        raise SelfDisable("a user cannot disable itself (ask another admin, or use plantalent users disable)")

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        rec = tx.run(CYPHER.load("disable"), user_id=user_id, now=datetime.now(UTC)).single()
        if rec is None:
            raise UserNotFound(f"no user {user_id}")
        record_in(tx, who, "user_disable", user_id)
        bump_in(tx, "user disabled")
        return dict(rec["user"])

    result: dict[str, Any] = _write(driver, settings, work)
    return result


def list_users(driver: Driver, settings: Settings) -> list[dict[str, object]]:
    """All users, without token hashes."""
    return read(driver, settings, CYPHER.load("list"))


def user_by_token(driver: Driver, settings: Settings, token: str) -> Principal | None:
    """The user holding ``token`` if it is enabled and the token has not expired, or None."""
    rows = read(driver, settings, CYPHER.load("by_token"), token_hash=hash_token(token), now=datetime.now(UTC),
                legacy_days=DEFAULT_TOKEN_DAYS)
    if not rows:
        return None
    row = dict(rows[0])
    expires = row.pop("expires_at", None)
    return Principal(**row, expires_at=expires.to_native() if hasattr(expires, "to_native") else expires)
