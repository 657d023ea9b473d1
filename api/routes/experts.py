"""Expert search and panel recommendation (managers, inspectors, admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from starlette.concurrency import run_in_threadpool

from api.deps import POOL_ROLES, SEARCH_ROLES, Fresh, StateDep, allow, cached, graph_version, present
from api.errors import responses
from api.schemas import ExpertsPublic, ExpertStatusIn, RecommendationPublic, RecommendIn
from graph.errors import NotFound
from queries import experts
from queries.pool import set_expert_status, status_history
from queries.users import Principal


def body_text(text: str) -> str:
    """The request text as the audit log keeps it (its start)."""
    return text if len(text) <= 200 else text[:200] + "…"


router = APIRouter(prefix="/api/experts", tags=["experts"], responses=responses(400))
Searcher = Annotated[Principal, Depends(allow(*SEARCH_ROLES))]
Keeper = Annotated[Principal, Depends(allow(*POOL_ROLES))]
ExpertId = Annotated[str, Path(min_length=1, max_length=64)]
Text = Annotated[str | None, Query(max_length=50)]


@router.get("/search", response_model=ExpertsPublic)
async def search_experts(state: StateDep, user: Searcher, fresh: Fresh,
                         q: Annotated[str, Query(max_length=200, description="关键词/标签/姓名")] = "",
                         province: Text = None, level: Text = None, field: Text = None,
                         page: Annotated[int, Query(ge=1, le=1000)] = 1,
                         page_size: Annotated[int, Query(ge=1, le=100)] = 20) -> Any:
    """Search the expert pool by keyword or tag, province, level and field."""
    params = (q.strip(), province or None, level or None, field or None, page, page_size)
    version = await graph_version(state)

    def compute() -> Any:
        result = experts.search_experts(state.driver, state.settings, q=params[0], province=params[1], level=params[2],
                        field=params[3], page=page, page_size=page_size, embedder=state.embedder,
                        index=state.expert_index(version))
        return present(state, user, result)

    # Results depend on the expert index held (reloaded in the background after a change) and on
    # whether the embedder is loaded yet (warm-up): both are part of the key. Without an index yet
    # (not warmed), the first search loads it here, so that its answer is kept under that index.
    index_version = None
    if state.experts is not None:
        if state.experts.version is None:
            await run_in_threadpool(state.expert_index, version)
        index_version = state.experts.version
    key = ("search", params, index_version, state.embedder is not None)
    response = await cached(state, user, ExpertsPublic, key, compute, fresh)
    if user.unmasked:  # the results carry ID numbers in full: audited before they are sent
        await state.audit.record_async(user, "view_experts", None, {"q": params[0], "province": params[1],
                                                                    "level": params[2], "field": params[3], "page": page})
    return response


@router.post("/recommend", response_model=RecommendationPublic)
def recommend_experts(state: StateDep, user: Searcher, body: RecommendIn) -> Any:
    """Recommend a review panel for a request, with conflict-of-interest exclusions and reasons."""
    request = experts.RecommendRequest(**body.model_dump(exclude_none=True))
    result = experts.recommend(state.driver, state.settings, request, embedder=state.embedder,
                       index=state.expert_index(state.version.current()))
    answer = present(state, user, result)
    if user.unmasked:  # the panel carries ID numbers in full: audited before it is sent
        state.audit.record(user, "view_recommendation", None,
                           {"text": body_text(request.text), "k": request.k, "experts": len(answer.get("experts") or [])})
    return answer


@router.get("/{expert_id}/status")
def read_expert_status(state: StateDep, user: Searcher, expert_id: ExpertId) -> Any:
    """An expert's pool status and its history (decisions in the service and what experts.csv said)."""
    history = status_history(state.driver, state.settings, expert_id)
    if history is None:
        raise NotFound()
    return present(state, user, history)


@router.post("/{expert_id}/status")
def change_expert_status(state: StateDep, user: Keeper, expert_id: ExpertId, body: ExpertStatusIn) -> Any:
    """Put an expert in the pool (在库), suspend (暂停) or retire (出库) them, with a reason; audited, kept as history."""
    after = set_expert_status(state.driver, state.settings, expert_id, body.status, body.reason, who=user)
    state.version.changed()  # the change bumped the graph version in its transaction
    return present(state, user, after)
