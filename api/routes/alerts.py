"""The alert queue (inspectors, admins): list, detail with evidence graph, status decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from api.deps import ALERT_ROLES, Fresh, StateDep, allow, cached, present, resolve_person_id
from api.errors import responses
from api.exports import XLSX, alerts_xlsx
from api.report import html_to_pdf, report_html
from api.schemas import (
    AlertDetailPublic,
    AlertsPublic,
    AlertStatus,
    AlertStatusIn,
    PenaltyIn,
    RectificationIn,
    Severity,
    UsersPublic,
)
from graph.errors import NotFound
from queries import alerts
from queries.users import Principal, list_users

router = APIRouter(prefix="/api/alerts", tags=["alerts"], responses=responses())
Inspector = Annotated[Principal, Depends(allow(*ALERT_ROLES))]
AlertId = Annotated[str, Path(max_length=200)]


def alert_filters(state: StateDep, rule: Annotated[str | None, Query(pattern=r"^[A-Z]{2}[0-9]$", description="CL1…QA1")] = None,
                  severity: Severity | None = None,
                  province: Annotated[str | None, Query(max_length=50)] = None,
                  status: AlertStatus | None = None,
                  unit_id: Annotated[str | None, Query(max_length=64)] = None,
                  person_id: Annotated[str | None, Query(max_length=200, description="person_ref (p_…) or ID number")] = None,
                  assignee: Annotated[str | None, Query(max_length=100, description="user_id")] = None) -> dict[str, Any]:
    """The alert list's filters (the list and its export take the same), empty ones as None. Pages name a
    person by its pseudonym (no ID number in a URL); an ID number is accepted too."""
    return {"rule": rule, "severity": severity, "province": province or None, "status": status,
            "unit_id": unit_id or None, "person_id": resolve_person_id(state, person_id) if person_id else None,
            "assignee": assignee or None}


Filters = Annotated[dict[str, Any], Depends(alert_filters)]


@router.get("", response_model=AlertsPublic)
async def list_alerts(state: StateDep, user: Inspector, fresh: Fresh, filters: Filters,
                      page: Annotated[int, Query(ge=1, le=10000)] = 1,
                      page_size: Annotated[int, Query(ge=1, le=200)] = 50) -> Any:
    """Alerts, most severe first, filtered by rule, severity, province, status, unit, person or assignee."""

    def compute() -> Any:
        return present(state, user, alerts.list_alerts(state.driver, state.settings, **filters, scope=user.province,
                                                       page=page, page_size=page_size))

    key = ("alerts", *filters.values(), page, page_size)
    response = await cached(state, user, AlertsPublic, key, compute, fresh)
    await state.audit.record_async(user, "view_alerts", None,
                                   {k: filters[k] for k in ("rule", "severity", "province", "status")} | {"page": page})
    return response


XLSX_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {XLSX: {}}, "description": "an XLSX workbook"}}


@router.get("/export.xlsx", response_class=Response, responses=XLSX_RESPONSE)
def export_alerts(state: StateDep, user: Inspector, filters: Filters) -> Response:
    """The alert list with the list's filters as an XLSX workbook (at most 5,000 alerts; audited)."""
    found = alerts.list_alerts(state.driver, state.settings, **filters, scope=user.province, page=1, page_size=5000)
    shown = {**filters, "province": filters["province"] or user.province}
    body = alerts_xlsx(present(state, user, found)["data"], shown)
    state.audit.record(user, "export_alerts", None, {**shown, "rows": len(found["data"])})
    return Response(body, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="alerts.xlsx"'})


@router.get("/{alert_id}/report.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "the printable case report"},
                       404: {"description": "no such alert in the caller's scope"},
                       503: {"description": "the PDF printer (Chromium) is not available"}})
def alert_report(state: StateDep, user: Inspector, alert_id: AlertId) -> Response:
    """A printable case report in Chinese (PDF): the alert, its evidence table and graph, its events."""
    alert = alerts.get_alert(state.driver, state.settings, alert_id, scope=user.province)
    if alert is None:
        raise NotFound()
    pdf = html_to_pdf(report_html(present(state, user, alert), user.name or user.user_id))
    state.audit.record(user, "export_report", alert_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="report-{alert_id}.pdf"'})


@router.get("/{alert_id}/assignees", response_model=UsersPublic,
            responses={404: {"description": "no such alert in the caller's scope"}})
def alert_assignees(state: StateDep, user: Inspector, alert_id: AlertId) -> Any:
    """Who the alert may be assigned to: active inspectors and admins whose scope covers it (for the
    assignee field's suggestions; the assignment itself accepts a user_id or a name)."""
    alert = alerts.get_alert(state.driver, state.settings, alert_id, scope=user.province)
    if alert is None:
        raise NotFound()
    rows = [{k: u.get(k) for k in ("user_id", "name", "role", "province")}
            for u in list_users(state.driver, state.settings)
            if u["role"] in ALERT_ROLES and not u.get("disabled")
            and (not u.get("province") or u["province"] in alert["provinces"])]
    return {"data": rows, "count": len(rows)}


@router.get("/{alert_id}", response_model=AlertDetailPublic)
async def read_alert(state: StateDep, user: Inspector, fresh: Fresh, alert_id: AlertId) -> Any:
    """One alert with its evidence and the evidence subgraph (nodes, edges) to draw."""

    def compute() -> Any:
        alert = alerts.get_alert(state.driver, state.settings, alert_id, scope=user.province)
        if alert is None:
            raise NotFound()
        return present(state, user, alert)

    response = await cached(state, user, AlertDetailPublic, ("alert", alert_id), compute, fresh)
    await state.audit.record_async(user, "view_alert", alert_id)
    return response


@router.post("/{alert_id}/status", response_model=AlertDetailPublic,
             responses={400: {"description": "the decision names an unknown assignee or subject"},
                        404: {"description": "no such alert in the caller's scope"},
                        409: {"description": "the lifecycle does not allow this change now; `allowed` lists what it does"},
                        422: {"description": "the body lacks what the change needs (comment, assignee, points, deadline)"}})
def set_alert_status(state: StateDep, user: Inspector, alert_id: AlertId, body: AlertStatusIn) -> Any:
    """Move an alert through its lifecycle: assign (assignee, due), confirm, dismiss (reason), reopen a
    dismissed one (reason), give a confirmed one its outcome (rectification by a deadline, or a penalty
    creating violation V-{alert_id}), mark a rectification done. Kept in its history and, in the same
    transaction, the audit log."""
    o = body.outcome
    outcome = None
    if isinstance(o, RectificationIn):
        outcome = alerts.Outcome("rectification", deadline=o.deadline)
    elif isinstance(o, PenaltyIn):
        outcome = alerts.Outcome("penalty", points=o.points, penalty=o.penalty, subject_ids=tuple(o.subject_ids))
    decision = alerts.Decision(body.status, body.comment, body.assignee, body.due, outcome)
    after = alerts.set_alert_status(state.driver, state.settings, alert_id, decision, user)
    state.version.changed()  # the status change bumped the graph version in its transaction
    return present(state, user, after)
