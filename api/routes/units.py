"""Units: profile, staff and credit (unit_hr: its own unit only)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

import queries
from api.deps import ALERT_ROLES, CurrentUser, Fresh, StateDep, cached, ensure_unit_in_scope, present
from api.errors import NotFound, NotReady, stage
from api.schemas import StaffPublic, UnitPublic
from graph.db import read

router = APIRouter(prefix="/api/units", tags=["units"])
UnitId = Annotated[str, Path(max_length=64, description="统一社会信用代码")]


def _credit_from_node(unit: dict[str, Any]) -> dict[str, Any] | None:
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


def _unit_credit(state: Any, unit_id: str, unit: dict[str, Any]) -> dict[str, Any] | None:
    try:
        list_credit = stage("queries.credit", "list_credit")
    except NotReady:
        return _credit_from_node(unit)
    rows = list_credit(state.driver, state.settings, unit_id=unit_id)
    return rows[0] if rows else _credit_from_node(unit)


@router.get("/{unit_id}", response_model=UnitPublic)
async def read_unit(state: StateDep, user: CurrentUser, fresh: Fresh, unit_id: UnitId) -> Any:
    """A unit: registration data, headline staff figures, projects, awards, violations, credit."""
    unit_id = unit_id.strip().upper()
    ensure_unit_in_scope(user, unit_id)

    def compute() -> Any:
        rows = read(state.driver, state.settings, queries.load("api/unit_get"), unit_id=unit_id, today=state.today())
        if not rows:
            raise NotFound()
        body = dict(rows[0])
        body["credit"] = _unit_credit(state, unit_id, body["unit"])
        if user.role in ALERT_ROLES:
            try:
                list_alerts = stage("queries.alerts", "list_alerts")
                body["open_alerts"] = list_alerts(state.driver, state.settings, unit_id=unit_id, status="open",
                                                  page=1, page_size=50)["data"]
            except NotReady:
                body["open_alerts"] = None
        return present(state, user, body)

    response = await cached(state, user, UnitPublic, ("unit", unit_id), compute, fresh)
    if user.unmasked:
        await state.audit.record_async(user, "view_unit", unit_id)
    return response


@router.get("/{unit_id}/staff", response_model=StaffPublic)
def list_unit_staff(state: StateDep, user: CurrentUser, unit_id: UnitId,
                    current_only: Annotated[bool, Query(description="only staff active today")] = False) -> Any:
    """People with an employment or registration at the unit (unit_hr: current staff only)."""
    unit_id = unit_id.strip().upper()
    ensure_unit_in_scope(user, unit_id)
    if not read(state.driver, state.settings, "MATCH (u:Org {unit_id: $unit_id}) RETURN 1 AS ok LIMIT 1", unit_id=unit_id):
        raise NotFound()
    rows = read(state.driver, state.settings, queries.load("api/unit_staff"), unit_id=unit_id, today=state.today(),
                current_only=current_only or user.role == "unit_hr", limit=5000)
    if user.unmasked:
        state.audit.record(user, "view_staff", unit_id, {"rows": len(rows)})
    return present(state, user, {"data": rows, "count": len(rows)})


@router.get("/{unit_id}/credit")
def read_unit_credit(state: StateDep, user: CurrentUser, unit_id: UnitId) -> Any:
    """The unit's credit grade (A–D), composite index and the factors that drove it."""
    unit_id = unit_id.strip().upper()
    ensure_unit_in_scope(user, unit_id)
    rows = read(state.driver, state.settings, "MATCH (u:Unit {unit_id: $unit_id}) RETURN u {.*} AS unit",
                unit_id=unit_id)
    if not rows:
        raise NotFound()
    credit = _unit_credit(state, unit_id, rows[0]["unit"])
    if credit is None:
        raise NotFound()
    return present(state, user, credit)
