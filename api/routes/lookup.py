"""The search box of every page: persons, units and projects by ID number, USCC, phone or name."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AfterValidator, StringConstraints
from starlette.concurrency import run_in_threadpool

from api.deps import CurrentUser, StateDep, present
from api.errors import responses
from api.schemas import LookupPublic
from graph.fields import SOLID
from graph.masking import mask_text
from queries.lookup import MAX_CHARS, MIN_CHARS, lookup
from queries.scope import Scope

router = APIRouter(prefix="/api", tags=["lookup"], responses=responses())
# At most MAX_CHARS characters with at least MIN_CHARS (2) that are not blank (graph.fields.SOLID),
# stripped once valid: the schema states exactly what is accepted.
LookupText = Annotated[str, StringConstraints(max_length=MAX_CHARS, pattern=f"{SOLID}[\\s\\S]*{SOLID}"),
                       AfterValidator(str.strip)]


@router.get("/lookup", response_model=LookupPublic,
            responses={422: {"description": f"q shorter than {MIN_CHARS} or longer than {MAX_CHARS} characters"}})
async def find(state: StateDep, user: CurrentUser,
               q: Annotated[LookupText, Query(description="身份证号、统一社会信用代码、电话，或人员/单位/项目名称")]) -> Any:
    """Persons, units and projects matching ``q`` within the caller's scope (at most 20 each, best
    first): exact ID number, USCC, phone or project code, else names by full text. Masked unless
    inspector/admin (whose lookups are audited)."""
    found = await run_in_threadpool(lookup, state.driver, state.settings, q, Scope.of(user), state.today())
    body = present(state, user, found)
    if user.unmasked:
        await state.audit.record_async(user, "lookup", None, {"q": mask_text(q), **{k: len(v) for k, v in found.items()}})
    return body
