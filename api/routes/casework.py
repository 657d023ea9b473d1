"""Disputes (异议) and the inbox (DESIGN.md Casework)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from starlette.concurrency import run_in_threadpool

from api.deps import ALERT_ROLES, CurrentUser, StateDep, allow, present, resolve_person_id
from api.errors import responses
from api.schemas import DisputeIn, DisputePublic, DisputeResolveIn, DisputesPublic, InboxPublic, ReadIn
from queries import disputes, inbox
from queries.scope import Scope
from queries.users import Principal

router = APIRouter(prefix="/api", tags=["casework"], responses=responses())
UnitHR = Annotated[Principal, Depends(allow("unit_hr"))]
Resolver = Annotated[Principal, Depends(allow(*ALERT_ROLES))]
Viewer = Annotated[Principal, Depends(allow("unit_hr", *ALERT_ROLES))]
DisputeId = Annotated[str, Path(max_length=64)]
NOT_IN_SCOPE: dict[int | str, dict[str, Any]] = {404: {"description": "no such person, record or dispute in the caller's scope"}}


@router.post("/disputes", response_model=DisputePublic, status_code=201,
             responses={**NOT_IN_SCOPE, 409: {"description": "the record already has an open dispute"},
                        400: {"description": "unknown record kind"}})
def file_dispute(state: StateDep, user: UnitHR, body: DisputeIn) -> Any:
    """Unit HR disputes a record (kind + record_key from the portrait) of one of its current staff."""
    pid = resolve_person_id(state, body.person_id)
    out = disputes.file_dispute(state.driver, state.settings, user, pid, body.record.kind, body.record.key, body.reason)
    state.version.changed()
    return present(state, user, out)


@router.get("/disputes", response_model=DisputesPublic)
def list_disputes(state: StateDep, user: Viewer,
                  status: Annotated[str | None, Query(pattern="^(open|upheld|rejected)$")] = None) -> Any:
    """The dispute queue (inspectors, admins: within their scope) or unit HR's own disputes and outcomes."""
    found = disputes.list_disputes(state.driver, state.settings, Scope.of(user), status=status)
    if user.unmasked:  # the queue names persons by ID number: audited before it is sent
        state.audit.record(user, "view_disputes", None, {"status": status, "rows": len(found["data"])})
    return present(state, user, found)


@router.post("/disputes/{dispute_id}/resolve", response_model=DisputePublic,
             responses={**NOT_IN_SCOPE, 409: {"description": "already resolved, or the record is no longer current"}})
def resolve_dispute(state: StateDep, user: Resolver, dispute_id: DisputeId, body: DisputeResolveIn) -> Any:
    """Uphold (the record is set aside: rules, credit and portraits ignore it) or reject (reason) a dispute."""
    out = disputes.resolve_dispute(state.driver, state.settings, user, dispute_id, body.outcome, body.comment)
    state.version.changed()
    return present(state, user, out)


@router.get("/inbox", response_model=InboxPublic)
async def read_inbox(state: StateDep, user: CurrentUser,
                     unread: Annotated[bool, Query(description="only unread notices")] = False,
                     limit: Annotated[int, Query(ge=0, le=500)] = 100) -> Any:
    """The caller's notices, newest first: new alerts in scope, assignments, passed due dates and
    deadlines, dispute updates; with the number unread (the badge)."""
    body = await run_in_threadpool(inbox.list_notices, state.driver, state.settings, user.user_id, unread, limit)
    return present(state, user, body)


@router.post("/inbox/read", response_model=InboxPublic)
def mark_read(state: StateDep, user: CurrentUser, body: ReadIn) -> Any:
    """Mark notices read (the ids given, or all when none are)."""
    inbox.mark_read(state.driver, state.settings, user.user_id, body.notice_ids or None)
    return present(state, user, inbox.list_notices(state.driver, state.settings, user.user_id))
