"""Unit credit grades and the yellow list (unit_hr: its own unit only; a provincial user: its province)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from api.deps import SEARCH_ROLES, CurrentUser, StateDep, allow, present
from api.errors import responses
from api.exports import XLSX, credit_xlsx, draw_xlsx
from api.schemas import CreditsPublic, Grade
from queries import credit
from queries.inspect import Inspector, draw
from queries.users import Principal, list_users

router = APIRouter(prefix="/api", tags=["credit"], responses=responses())


def _own(rows: list[dict[str, Any]], unit_id: str | None) -> list[dict[str, Any]]:
    return [r for r in rows if r.get("unit_id") == unit_id]


@router.get("/credit", response_model=CreditsPublic)
def list_credit(state: StateDep, user: CurrentUser, grade: Grade | None = None,
                province: Annotated[str | None, Query(max_length=50)] = None,
                limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> Any:
    """Credit grades of units (composite index, grade A–D, driving factors)."""
    unit_id = user.unit_id if user.role == "unit_hr" else None
    if user.province and province and province != user.province:
        return {"data": [], "count": 0}
    rows = list(credit.list_credit(state.driver, state.settings, grade=grade, unit_id=unit_id,
                                   province=user.province or province or None))
    if user.role == "unit_hr":
        rows = _own(rows, user.unit_id)
    return present(state, user, {"data": rows[:limit], "count": len(rows)})


@router.get("/credit/export.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "an XLSX workbook"}})
def export_credit(state: StateDep, user: CurrentUser, grade: Grade | None = None,
                  province: Annotated[str | None, Query(max_length=50)] = None) -> Response:
    """The credit grades (same filters and scope as GET /api/credit) as an XLSX workbook."""
    rows = list_credit(state, user, grade, province, 5000)["data"]
    body = credit_xlsx(rows, {"grade": grade, "province": province or user.province})
    return Response(body, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="credit.xlsx"'})


@router.get("/yellow-list", response_model=CreditsPublic)
def list_yellow(state: StateDep, user: CurrentUser) -> Any:
    """The yellow list (黄名单): units graded D or with an open high-severity alert."""
    unit_id = user.unit_id if user.role == "unit_hr" else None
    rows = list(credit.yellow_list(state.driver, state.settings, unit_id=unit_id, province=user.province))
    if user.role == "unit_hr":
        # Counted after entries listed for alerts alone are gone (unit HR sees nothing derived from alerts).
        rows = credit.without_alerts(_own(rows, user.unit_id), credit.load_config(state.settings).yellow_grades)
    return present(state, user, {"data": rows, "count": len(rows)})


@router.get("/inspect/draw.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "an XLSX workbook"},
                       400: {"description": "nothing to draw from"}})
def export_draw(state: StateDep, user: Annotated[Principal, Depends(allow(*SEARCH_ROLES))],
                n: Annotated[int, Query(ge=1, le=500)], seed: Annotated[int, Query(ge=0, le=2**31)],
                province: Annotated[str | None, Query(max_length=50)] = None) -> Response:
    """A 双随机 inspection draw (queries.inspect.draw) as XLSX: ``n`` units of the caller's province (or
    ``province``), each with inspectors from the site's inspector users; reproducible from ``seed``."""
    where = user.province or province or None
    roster = [Inspector(str(u["user_id"]), str(u.get("name") or u["user_id"]), "", "", str(u.get("province") or ""))
              for u in list_users(state.driver, state.settings)
              if u["role"] == "inspector" and not u.get("disabled")]
    result = draw(state.driver, state.settings, n, seed, province=where, roster=roster)
    body = draw_xlsx(result.rows(), result.meta())
    return Response(body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="draw-{seed}.xlsx"'})
