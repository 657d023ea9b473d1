"""Review panels (评审专家组): batch assignment, published draws, saved rosters, ratings, roster export.

Managers staff panels; inspectors (who have every manager view) and admins may too. Saving a roster
and rating its members change the record and are for managers and admins, like pool decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from api.deps import POOL_ROLES, SEARCH_ROLES, StateDep, allow, present
from api.errors import responses
from api.rosters import roster_workbook
from queries.panels import (
    PanelBatch,
    PanelSaveIn,
    RatingsIn,
    assign,
    get_draw,
    get_panel,
    list_panels,
    rate_panel,
    save_panel,
)
from queries.users import Principal

router = APIRouter(prefix="/api/panels", tags=["panels"], responses=responses())
Staffer = Annotated[Principal, Depends(allow(*SEARCH_ROLES))]
Keeper = Annotated[Principal, Depends(allow(*POOL_ROLES))]
PanelId = Annotated[str, Path(min_length=1, max_length=64)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _assign(state: Any, user: Principal, batch: PanelBatch) -> Any:
    result = assign(state.driver, state.settings, batch, embedder=state.embedder,
                    index=state.expert_index(state.version.current()), actor=user.user_id)
    if user.unmasked:
        state.audit.record(user, "panels_assign", None, {"panels": [p.panel_id for p in batch.panels], "mode": batch.mode})
    return present(state, user, result)


@router.post("/assign")
def assign_panels(state: StateDep, user: Staffer, batch: PanelBatch) -> Any:
    """Staff a batch of review panels under its rules (optimal by CP-SAT, or a reproducible random draw)."""
    return _assign(state, user, batch)


@router.post("/export.xlsx", response_class=Response)
def export_rosters(state: StateDep, user: Staffer, batch: PanelBatch) -> Response:
    """The rosters of a batch (the same answer as /assign for the same request) as an XLSX workbook;
    ID numbers masked for masked roles, unmasked exports audited."""
    body = _assign(state, user, batch)
    if user.unmasked:
        state.audit.record(user, "panels_export_unmasked", None, {"panels": [p.panel_id for p in batch.panels]})
    return Response(roster_workbook(body), media_type=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="panels.xlsx"', "Cache-Control": "no-store"})


@router.get("/draws/{draw_id}")
def read_draw(state: StateDep, user: Staffer, draw_id: Annotated[str, Path(max_length=40)]) -> Any:
    """A recorded random draw, for publication: request, seed, candidates, each seat's eligible list and result."""
    found = get_draw(state.driver, state.settings, draw_id)
    if user.unmasked:  # the candidates carry ID numbers in full: audited before they are sent
        state.audit.record(user, "view_draw", draw_id)
    return present(state, user, found)


@router.get("")
def read_panels(state: StateDep, user: Staffer, page: Annotated[int, Query(ge=1, le=10000)] = 1,
                page_size: Annotated[int, Query(ge=1, le=200)] = 50) -> Any:
    """Saved panels, newest review first."""
    return present(state, user, list_panels(state.driver, state.settings, page, page_size))


@router.get("/{panel_id}")
def read_panel(state: StateDep, user: Staffer, panel_id: PanelId) -> Any:
    """A saved panel: its roster (members, alternates) and the ratings after the review."""
    panel = get_panel(state.driver, state.settings, panel_id)
    if user.unmasked:
        state.audit.record(user, "view_panel", panel_id)
    return present(state, user, panel)


@router.post("/{panel_id}/save", responses=responses(409))
def save(state: StateDep, user: Keeper, panel_id: PanelId, body: PanelSaveIn) -> Any:
    """Keep a panel's roster (members free of conflicts of interest on its date); the same roster again is a no-op."""
    panel = save_panel(state.driver, state.settings, panel_id, body, who=user,
                       index=state.expert_index(state.version.current()))
    state.version.changed()
    return present(state, user, panel)


@router.post("/{panel_id}/ratings", responses=responses(409))
def rate(state: StateDep, user: Keeper, panel_id: PanelId, body: RatingsIn) -> Any:
    """Rate members of a saved panel 1–5 after its review date."""
    panel = rate_panel(state.driver, state.settings, panel_id, body, who=user)
    state.version.changed()
    return present(state, user, panel)
