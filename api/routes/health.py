"""Liveness and the caller's identity."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CurrentUser, StateDep
from api.errors import responses
from api.schemas import HealthPublic, MePublic
from graph.db import server_version

router = APIRouter(prefix="/api", tags=["health"], responses=responses(token=False))


@router.get("/health", response_model=HealthPublic)
def read_health(state: StateDep) -> HealthPublic:
    """Service and database liveness (no token needed)."""
    try:
        return HealthPublic(status="ok", neo4j=True, version=server_version(state.driver, state.settings),
                            warmup=state.warmup, embedder=state.embedder is not None)
    except Exception:  # noqa: BLE001 - health reports, never fails
        return HealthPublic(status="degraded", neo4j=False, warmup=state.warmup, embedder=state.embedder is not None)


@router.get("/me", response_model=MePublic, responses=responses())
def read_me(user: CurrentUser) -> MePublic:
    """Who the token belongs to (role, unit) — the pages build their menu from it."""
    return MePublic(user_id=user.user_id, role=user.role, unit_id=user.unit_id, name=user.name,
                    unmasked=user.unmasked)
