"""The cockpit (领导驾驶舱): counts by province, plan level, plan type and rule."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter

from api.deps import CurrentUser, Fresh, StateDep, cached, present
from api.errors import responses
from api.schemas import StatsPublic
from graph.errors import NotFound
from ingest.stats import entity_counts
from queries.credit import load_config, without_alerts, yellow_list
from queries.stats import cockpit, unit_figures

router = APIRouter(prefix="/api", tags=["stats"], responses=responses())


@router.get("/stats", response_model=StatsPublic)
async def read_stats(state: StateDep, user: CurrentUser, fresh: Fresh) -> Any:
    """Dashboard figures of the whole graph; for unit_hr only its own unit (and no alert figures)."""

    def compute() -> Any:
        if user.role == "unit_hr":
            staff = unit_figures(state.driver, state.settings, user.unit_id or "", state.today())
            if staff is None:
                raise NotFound()
            result = dict(cockpit(state.driver, state.settings, unit_id=user.unit_id))
            result.pop("alerts", None)
            # On the yellow list for a reason other than alerts (unit HR sees nothing derived from alerts).
            entries = without_alerts(yellow_list(state.driver, state.settings, unit_id=user.unit_id),
                                     load_config(state.settings).yellow_grades)
            result["yellow_list"] = {"total": len(entries),
                                     "by_province": dict(Counter(e["province"] for e in entries))}
            body: dict[str, Any] = {**result, "scope": "unit", "staff": staff}
            return present(state, user, body, drop_alerts=False)
        if user.province:
            return present(state, user, {**cockpit(state.driver, state.settings, province=user.province),
                                         "scope": "province"}, drop_alerts=False)
        body = {**dict(cockpit(state.driver, state.settings)), "scope": "all"}
        if "entities" not in body:
            body["entities"] = entity_counts(state.driver, state.settings)
        # Alert counts by rule/province are aggregates: managers see them, never the alerts themselves.
        return present(state, user, body, drop_alerts=False)

    # Seconds of aggregation on a national graph: the dashboard is the page that gains most from a kept answer.
    return await cached(state, user, StatsPublic, ("stats",), compute, fresh)
