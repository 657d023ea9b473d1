"""Units (planning units and other organisations): profile, staff, credit, and unit HR's scope."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.db import read
from graph.records import history as past_of
from graph.records import source
from graph.settings import Settings
from queries.credit import list_credit

CYPHER = CypherFiles(__file__, "units")


# Entries of each history list on a unit page (versions; retired or set-aside records), newest first.
HISTORY_LIMIT = 200


def get_unit(driver: Driver, settings: Settings, unit_id: str, today: date, *, history: bool = False) -> dict[str, Any] | None:
    """A unit with its headline staff figures, projects, awards, violations and credit; None if unknown.

    ``history`` (inspectors and admins, DESIGN.md "Data lifecycle"): also the unit's source (file, line,
    load) and ``history`` — earlier values of the unit and of the records at it, and its retired or
    set-aside records, each with its source."""
    rows = read(driver, settings, CYPHER.load("get"), unit_id=unit_id, today=today)
    if not rows:
        return None
    unit = dict(rows[0])
    unit["credit"] = unit_credit(driver, settings, unit_id, unit["unit"])
    # The stored grading (a JSON string) is shown parsed, as "credit", once.
    unit["unit"] = {k: v for k, v in unit["unit"].items() if k != "credit_factors"}
    if history:
        past = read(driver, settings, CYPHER.load("history"), unit_id=unit_id, limit=HISTORY_LIMIT)
        unit["source"] = source(unit["unit"])
        unit["history"] = past_of(past[0]["versions"], past[0]["withdrawn"]) if past else {"versions": [], "withdrawn": []}
    return unit


def unit_exists(driver: Driver, settings: Settings, unit_id: str) -> bool:
    """True if an organisation with this code is in the graph (a unit or an external payer)."""
    return bool(read(driver, settings, CYPHER.load("exists"), unit_id=unit_id))


def unit_staff(driver: Driver, settings: Settings, unit_id: str, today: date, *, current_only: bool,
               limit: int = 5000) -> list[dict[str, Any]]:
    """People with an employment or registration at the unit, with those records; current first."""
    return read(driver, settings, CYPHER.load("staff"), unit_id=unit_id, today=today, current_only=current_only,
                limit=limit)


def staff_month(driver: Driver, settings: Settings, unit_id: str, today: date,
                limit: int = 2000) -> dict[str, Any]:
    """Unit HR's staff list for the month of ``today``: each current staff member's registrations,
    employments and insurance periods covering the month, side by side, and whether they agree
    (registered, employed and insured here — or insured by the unit's parent): {month, data, count}."""
    month = today.replace(day=1)
    month_end = (month.replace(year=month.year + 1, month=1) if month.month == 12
                 else month.replace(month=month.month + 1)) - timedelta(days=1)
    rows = read(driver, settings, CYPHER.load("roster"), unit_id=unit_id, today=today, month=month,
                month_end=month_end, limit=limit)
    for r in rows:
        here = {k: any(x["own"] for x in r[k]) for k in ("registrations", "employments", "insurance")}
        elsewhere = {k: any(not x["own"] for x in r[k]) for k in ("registrations", "employments", "insurance")}
        issues = []
        if here["registrations"] and not here["insurance"]:
            issues.append("在本单位注册但本月未由本单位参保")
        if here["registrations"] and not here["employments"]:
            issues.append("在本单位注册但无本单位任职记录")
        if elsewhere["registrations"] or elsewhere["employments"]:
            issues.append("本月另有外单位注册或任职")
        if elsewhere["insurance"]:
            issues.append("本月另有外单位参保")
        r["consistent"] = not issues
        r["issues"] = issues
    return {"month": month.isoformat()[:7], "data": rows, "count": len(rows)}


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


def first_staffed_unit(driver: Driver, settings: Settings, today: date | None = None) -> str | None:
    """The planning unit (甲级/乙级, not a 机关) with the most planners registered today, or None."""
    rows = read(driver, settings, CYPHER.load("first_staffed"), today=today or settings.today())
    return rows[0]["unit_id"] if rows else None
