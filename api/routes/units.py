"""Units: profile, staff and credit (unit_hr: its own unit only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import ALERT_ROLES, CurrentUser, Fresh, StateDep, cached, ensure_unit_in_scope, present
from api.errors import responses
from api.schemas import RosterPublic, StaffPublic, UnitPublic
from graph.errors import NotFound
from queries.alerts import COUNTING, list_alerts
from queries.disputes import list_disputes
from queries.scope import Scope
from queries.units import get_unit, staff_month, unit_credit, unit_exists, unit_staff

router = APIRouter(prefix="/api/units", tags=["units"], responses=responses())
UnitId = Annotated[str, Path(max_length=64, description="统一社会信用代码")]


@router.get("/{unit_id}", response_model=UnitPublic)
async def read_unit(state: StateDep, user: CurrentUser, fresh: Fresh, unit_id: UnitId) -> Any:
    """A unit: registration data, headline staff figures, projects, awards, violations, credit; for
    inspectors and admins also its history (earlier values, retired records, each with file, line, load)."""
    unit_id = unit_id.strip().upper()

    def compute() -> Any:
        ensure_unit_in_scope(state, user, unit_id)
        body = get_unit(state.driver, state.settings, unit_id, state.today(), history=user.unmasked)
        if body is None:
            raise NotFound()
        if user.role in ALERT_ROLES:
            body["open_alerts"] = list_alerts(state.driver, state.settings, unit_id=unit_id, statuses=COUNTING, scope=user.province,
                                              page=1, page_size=50)["data"]
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
    ensure_unit_in_scope(state, user, unit_id)
    if not unit_exists(state.driver, state.settings, unit_id):
        raise NotFound()
    rows = unit_staff(state.driver, state.settings, unit_id, state.today(),
                      current_only=current_only or user.role == "unit_hr")
    if user.unmasked:
        state.audit.record(user, "view_staff", unit_id, {"rows": len(rows)})
    return present(state, user, {"data": rows, "count": len(rows)})


@router.get("/{unit_id}/roster", response_model=RosterPublic,
            responses={404: {"description": "no such unit in the caller's scope"}})
def unit_roster(state: StateDep, user: CurrentUser, unit_id: UnitId) -> Any:
    """Unit HR's home: each current staff member's registration, employment and insurance for this
    month side by side (with record_key to dispute one), whether they agree, and the unit's disputes
    about that person with their outcome."""
    unit_id = unit_id.strip().upper()
    ensure_unit_in_scope(state, user, unit_id)
    if not unit_exists(state.driver, state.settings, unit_id):
        raise NotFound()
    body = staff_month(state.driver, state.settings, unit_id, state.today())
    by_person: dict[str, list[dict[str, Any]]] = {}
    for d in list_disputes(state.driver, state.settings, Scope(unit_id=unit_id))["data"]:
        by_person.setdefault(d["person_id"], []).append(d)
    for r in body["data"]:
        r["disputes"] = by_person.get(r["person_id"], [])
    if user.unmasked:
        state.audit.record(user, "view_staff", unit_id, {"rows": body["count"], "roster": body["month"]})
    return present(state, user, body)


@router.get("/{unit_id}/credit")
def read_unit_credit(state: StateDep, user: CurrentUser, unit_id: UnitId) -> Any:
    """The unit's credit grade (A–D), composite index and the factors that drove it."""
    unit_id = unit_id.strip().upper()
    ensure_unit_in_scope(state, user, unit_id)
    credit = unit_credit(state.driver, state.settings, unit_id)
    if credit is None:
        raise NotFound()
    return present(state, user, credit)
