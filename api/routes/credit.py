"""Unit credit grades and the yellow list (unit_hr: its own unit only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import CurrentUser, StateDep, present
from api.schemas import CreditsPublic, Grade
from queries import credit

router = APIRouter(prefix="/api", tags=["credit"])


def _own(rows: list[dict[str, Any]], unit_id: str | None) -> list[dict[str, Any]]:
    return [r for r in rows if r.get("unit_id") == unit_id]


@router.get("/credit", response_model=CreditsPublic)
def list_credit(state: StateDep, user: CurrentUser, grade: Grade | None = None,
                province: Annotated[str | None, Query(max_length=50)] = None,
                limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> Any:
    """Credit grades of units (composite index, grade A–D, driving factors)."""
    unit_id = user.unit_id if user.role == "unit_hr" else None
    rows = list(credit.list_credit(state.driver, state.settings, grade=grade, unit_id=unit_id, province=province or None))
    if user.role == "unit_hr":
        rows = _own(rows, user.unit_id)
    return present(state, user, {"data": rows[:limit], "count": len(rows)})


@router.get("/yellow-list", response_model=CreditsPublic)
def list_yellow(state: StateDep, user: CurrentUser) -> Any:
    """The yellow list (黄名单): units graded D or with an open high-severity alert."""
    unit_id = user.unit_id if user.role == "unit_hr" else None
    rows = list(credit.yellow_list(state.driver, state.settings, unit_id=unit_id))
    if user.role == "unit_hr":
        rows = _own(rows, user.unit_id)
    return present(state, user, {"data": rows, "count": len(rows)})
