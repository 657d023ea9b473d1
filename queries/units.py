"""Units (planning units and other organisations): profile, staff, credit, and unit HR's scope."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.db import read
from graph.settings import Settings
from queries.credit import list_credit

CYPHER = CypherFiles(__file__, "units")


def get_unit(driver: Driver, settings: Settings, unit_id: str, today: date) -> dict[str, Any] | None:
    """A unit with its headline staff figures, projects, awards, violations and credit; None if unknown."""
    rows = read(driver, settings, CYPHER.load("get"), unit_id=unit_id, today=today)
    if not rows:
        return None
    unit = dict(rows[0])
    unit["credit"] = unit_credit(driver, settings, unit_id, unit["unit"])
    return unit


def unit_exists(driver: Driver, settings: Settings, unit_id: str) -> bool:
    """True if an organisation with this code is in the graph (a unit or an external payer)."""
    return bool(read(driver, settings, CYPHER.load("exists"), unit_id=unit_id))


def unit_staff(driver: Driver, settings: Settings, unit_id: str, today: date, *, current_only: bool,
               limit: int = 5000) -> list[dict[str, Any]]:
    """People with an employment or registration at the unit, with those records; current first."""
    return read(driver, settings, CYPHER.load("staff"), unit_id=unit_id, today=today, current_only=current_only,
                limit=limit)


def person_in_unit(driver: Driver, settings: Settings, person_id: str, unit_id: str, today: date) -> bool:
    """Is the person current staff of the unit (an employment or registration there active today)."""
    rows = read(driver, settings, CYPHER.load("person_in_unit"), person_id=person_id, unit_id=unit_id, today=today)
    return bool(rows and rows[0]["ok"])


def unit_credit(driver: Driver, settings: Settings, unit_id: str,
                unit: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The unit's credit grade, index and factors (from the last grading), or None if never graded.

    ``unit`` is the unit node's properties when the caller has them already."""
    rows = list_credit(driver, settings, unit_id=unit_id)
    if rows:
        return rows[0]
    if unit is None:
        found = read(driver, settings, CYPHER.load("unit_node"), unit_id=unit_id)
        if not found:
            return None
        unit = found[0]["unit"]
    if unit.get("credit_grade") is None:
        return None
    factors = unit.get("credit_factors")
    if isinstance(factors, str):
        try:
            factors = json.loads(factors)
        except ValueError:
            pass
    return {"unit_id": unit.get("unit_id"), "grade": unit.get("credit_grade"), "index": unit.get("credit_index"),
            "as_of": unit.get("credit_as_of"), "factors": factors}


def first_staffed_unit(driver: Driver, settings: Settings) -> str | None:
    """The first planning unit (by code) that employs anyone, or None."""
    rows = read(driver, settings, CYPHER.load("first_staffed"))
    return rows[0]["unit_id"] if rows else None
