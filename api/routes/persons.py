"""Person portraits (人员全息画像)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from api.deps import CurrentUser, Fresh, StateDep, cached, ensure_person_in_scope, present, resolve_person_id
from api.errors import responses
from api.schemas import PortraitPublic
from graph.errors import NotFound
from tagging.portrait import get_portrait

router = APIRouter(prefix="/api/persons", tags=["persons"], responses=responses())


@router.get("/{person_id}", response_model=PortraitPublic)
async def read_person(state: StateDep, user: CurrentUser, fresh: Fresh,
                      person_id: Annotated[str, Path(max_length=200, description="ID number or its pseudonym p_...")]) -> Any:
    """A person's portrait: records, timelines, tags with evidence (masked unless inspector/admin); for
    inspectors and admins also each fact's source and the history (earlier values, retired records)."""
    pid = resolve_person_id(state, person_id)

    def compute() -> Any:
        ensure_person_in_scope(state, user, pid)
        # Read in full and mask here (graph.masking), so masked roles get pseudonyms to follow links.
        # History and sources (DESIGN.md "Data lifecycle") for inspectors and admins only: earlier values
        # would give masked roles what masking hides.
        portrait = get_portrait(state.driver, state.settings, pid, unmask=True, history=user.unmasked)
        if portrait is None:
            raise NotFound()
        if user.province:  # a provincial user sees the alerts of its province only
            portrait["alerts"] = [a for a in portrait["alerts"] if user.province in (a.get("provinces") or [])]
        body = present(state, user, portrait)
        if isinstance(body, dict):
            body["masked"] = not user.unmasked
            body["person_ref"] = state.refs.encode(pid)
        return body

    response = await cached(state, user, PortraitPublic, ("portrait", pid), compute, fresh)
    if user.unmasked:
        await state.audit.record_async(user, "view_portrait", pid)
    return response
