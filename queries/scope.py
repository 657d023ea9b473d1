"""Who may see what (DESIGN.md Casework, jurisdiction; Interfaces, roles): a unit HR user its unit's
current staff, its unit and the unit's projects; a provincial manager or inspector its province —
units there, persons with a current employment, registration or insurance there or concerned by an
alert it can see, projects there; everyone else the whole country. Each rule is one query over a
list of candidates, used by single-record routes and by lookups alike."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from graph.cypher import CypherFiles
from graph.db import Source, read
from graph.settings import Settings
from queries.users import Principal

CYPHER = CypherFiles(__file__, "scope")
# Each visible_* takes a driver or an open transaction (graph.db.read's source).


@dataclass(frozen=True)
class Scope:
    """A caller's reach: ``unit_id`` (unit HR), ``province`` (provincial user) or neither (national)."""

    unit_id: str | None = None
    province: str | None = None

    @classmethod
    def of(cls, user: Principal) -> Scope:
        if user.role == "unit_hr":
            # A unit HR user without a unit sees nothing (an impossible unit_id, never a national view).
            return cls(unit_id=user.unit_id or "\x00")
        return cls(province=user.province)

    @property
    def national(self) -> bool:
        return self.unit_id is None and self.province is None


def _month(today: date) -> date:
    return today.replace(day=1)


def visible_persons(driver: Source, settings: Settings, scope: Scope, person_ids: Iterable[str],
                    today: date) -> set[str]:
    """The persons of ``person_ids`` that ``scope`` may see."""
    ids = list(dict.fromkeys(person_ids))
    if scope.national or not ids:
        return set(ids)
    rows = read(driver, settings, CYPHER.load("persons"), ids=ids, unit_id=scope.unit_id, province=scope.province,
                today=today, month=_month(today))
    return {r["person_id"] for r in rows}


def visible_units(driver: Source, settings: Settings, scope: Scope, unit_ids: Iterable[str]) -> set[str]:
    """The organisations of ``unit_ids`` that ``scope`` may see (a province sees its units.csv units)."""
    ids = list(dict.fromkeys(unit_ids))
    if scope.national or not ids:
        return set(ids)
    if scope.unit_id is not None:
        return {scope.unit_id} & set(ids)
    rows = read(driver, settings, CYPHER.load("units"), ids=ids, province=scope.province)
    return {r["unit_id"] for r in rows}


def visible_projects(driver: Source, settings: Settings, scope: Scope, project_ids: Iterable[str]) -> set[str]:
    """The projects of ``project_ids`` that ``scope`` may see (its unit's, or its province's)."""
    ids = list(dict.fromkeys(project_ids))
    if scope.national or not ids:
        return set(ids)
    rows = read(driver, settings, CYPHER.load("projects"), ids=ids, unit_id=scope.unit_id, province=scope.province)
    return {r["project_id"] for r in rows}
