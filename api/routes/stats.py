"""The cockpit (领导驾驶舱): counts by province, plan level, plan type and rule."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter

import queries
from api.deps import CurrentUser, Fresh, StateDep, cached, present
from api.errors import NotFound, NotReady, stage
from api.schemas import StatsPublic
from graph.db import read

router = APIRouter(prefix="/api", tags=["stats"])


def _counts(values: list[str]) -> dict[str, int]:
    return dict(Counter(values).most_common())


def _unit_staff_figures(state: Any, unit_id: str | None) -> dict[str, Any]:
    rows = read(state.driver, state.settings, queries.load("api/unit_stats"), unit_id=unit_id, today=state.today())
    if not rows:
        raise NotFound()
    r = rows[0]
    return {
        "unit_id": r["unit_id"], "name": r["name"], "grade": r["grade"], "credit_grade": r["credit_grade"],
        "totals": {"staff": r["staff"], "registered": r["registered"], "experts": r["experts"], "projects": r["projects"]},
        "by_plan_level": _counts(r["levels"]), "by_plan_type": _counts(r["plan_types"]),
        "by_title": _counts(r["titles"]), "by_education": _counts(r["educations"]),
    }


@router.get("/stats", response_model=StatsPublic)
async def read_stats(state: StateDep, user: CurrentUser, fresh: Fresh) -> Any:
    """Dashboard figures of the whole graph; for unit_hr only its own unit (and no alert figures)."""
    cockpit = stage("queries.stats", "cockpit")

    def compute() -> Any:
        if user.role == "unit_hr":
            staff = _unit_staff_figures(state, user.unit_id)
            result = dict(cockpit(state.driver, state.settings, unit_id=user.unit_id))
            result.pop("alerts", None)
            body: dict[str, Any] = {**result, "scope": "unit", "staff": staff}
            return present(state, user, body, drop_alerts=False)
        body = {**dict(cockpit(state.driver, state.settings)), "scope": "all"}
        if "entities" not in body:
            try:
                body["entities"] = stage("ingest.stats", "entity_counts")(state.driver, state.settings)
            except NotReady:
                pass
        # Alert counts by rule/province are aggregates: managers see them, never the alerts themselves.
        return present(state, user, body, drop_alerts=False)

    # Seconds of aggregation on a national graph: the dashboard is the page that gains most from a kept answer.
    return await cached(state, user, StatsPublic, ("stats",), compute, fresh)
