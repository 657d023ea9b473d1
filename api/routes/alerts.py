"""The alert queue (inspectors, admins): list, detail with evidence graph, status decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from api.deps import ALERT_ROLES, Fresh, StateDep, allow, cached, present
from api.schemas import AlertDetailPublic, AlertsPublic, AlertStatus, AlertStatusIn, Severity
from graph.errors import NotFound
from queries import alerts
from queries.users import Principal

router = APIRouter(prefix="/api/alerts", tags=["alerts"])
Inspector = Annotated[Principal, Depends(allow(*ALERT_ROLES))]
AlertId = Annotated[str, Path(max_length=200)]


@router.get("", response_model=AlertsPublic)
async def list_alerts(state: StateDep, user: Inspector, fresh: Fresh,
                      rule: Annotated[str | None, Query(pattern=r"^[A-Z]{2}[0-9]$", description="CL1…QA1")] = None,
                      severity: Severity | None = None,
                      province: Annotated[str | None, Query(max_length=50)] = None,
                      status: AlertStatus | None = None,
                      unit_id: Annotated[str | None, Query(max_length=64)] = None,
                      person_id: Annotated[str | None, Query(max_length=64)] = None,
                      page: Annotated[int, Query(ge=1, le=10000)] = 1,
                      page_size: Annotated[int, Query(ge=1, le=200)] = 50) -> Any:
    """Alerts, most severe first, filtered by rule, severity, province, status, unit or person."""

    def compute() -> Any:
        return present(state, user, alerts.list_alerts(state.driver, state.settings, rule=rule, severity=severity,
                                       province=province or None, status=status, unit_id=unit_id or None,
                                       person_id=person_id or None, page=page, page_size=page_size))

    key = ("alerts", rule, severity, province or None, status, unit_id or None, person_id or None, page, page_size)
    response = await cached(state, user, AlertsPublic, key, compute, fresh)
    await state.audit.record_async(user, "view_alerts", None,
                                   {"rule": rule, "severity": severity, "province": province, "status": status, "page": page})
    return response


@router.get("/{alert_id}", response_model=AlertDetailPublic)
async def read_alert(state: StateDep, user: Inspector, fresh: Fresh, alert_id: AlertId) -> Any:
    """One alert with its evidence and the evidence subgraph (nodes, edges) to draw."""

    def compute() -> Any:
        alert = alerts.get_alert(state.driver, state.settings, alert_id)
        if alert is None:
            raise NotFound()
        return present(state, user, alert)

    response = await cached(state, user, AlertDetailPublic, ("alert", alert_id), compute, fresh)
    await state.audit.record_async(user, "view_alert", alert_id)
    return response


@router.post("/{alert_id}/status", response_model=AlertDetailPublic)
def set_alert_status(state: StateDep, user: Inspector, alert_id: AlertId, body: AlertStatusIn) -> Any:
    """Confirm, dismiss or reopen an alert, with a reason (kept in its history and the audit log)."""
    after = alerts.set_alert_status(state.driver, state.settings, alert_id, body.status, body.reason, user.user_id)
    state.version.changed()  # the status change bumped the graph version in its transaction
    state.audit.record(user, "alert_status", alert_id, {"to": body.status, "reason": body.reason})
    return present(state, user, after)
