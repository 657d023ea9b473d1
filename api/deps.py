"""FastAPI dependencies: the app's shared state, the driver, the caller, role and scope checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request, Response, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from neo4j import Driver
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.auth import SignInLimiter, TokenCache
from api.cache import ResponseCache, SingleFlight, render
from graph.errors import NotFound, TooManyRequests, Unauthorized
from graph.masking import PersonRefs, jsonable, names_only, person_ids_in, public_payload
from graph.settings import Settings
from graph.version import VersionWatch
from queries.audit import AuditLog
from queries.credit import load_config, without_alerts
from queries.experts import ExpertIndex, ExpertIndexCache
from queries.jobs import JobRunner
from queries.scope import Scope, visible_persons, visible_units
from queries.users import Principal

# Which roles may use which group of routes; any other role gets 404 (never 403).
ALERT_ROLES = ("inspector", "admin")
SEARCH_ROLES = ("manager", "inspector", "admin")
# Decisions on the expert pool and on saved review panels (DESIGN.md: managers and admins).
POOL_ROLES = ("manager", "admin")
ADMIN_ROLES = ("admin",)


@dataclass
class AppState:
    """What the lifespan opens once: settings, driver, person pseudonyms, token cache, the graph version
    and the response cache kept for it, embedder."""

    settings: Settings
    driver: Driver
    refs: PersonRefs
    tokens: TokenCache
    version: VersionWatch
    responses: ResponseCache
    audit: AuditLog
    signins: SignInLimiter
    flights: SingleFlight = field(default_factory=SingleFlight)
    embedder: Any | None = None
    experts: ExpertIndexCache | None = None
    warmup: str = "pending"
    jobs: JobRunner | None = None

    def jobs_runner(self) -> JobRunner:
        """This process's job runner (started on first use: a test app may serve without one)."""
        if self.jobs is None:
            self.jobs = JobRunner(self.driver, self.settings, embedder=lambda: self.embedder, on_change=self.version.changed)
        return self.jobs

    def expert_index(self, version: str) -> ExpertIndex | None:
        """The cached expert index, renewed when ``version`` (the graph's, see graph_version) is not the
        one it was read at (None without a cache: each search then reads a fresh one)."""
        return self.experts.get(self.driver, self.settings, version) if self.experts is not None else None

    def today(self) -> Any:
        return self.settings.today()


# The dependencies below are coroutines: they do no blocking work (or hand it to a thread), and a
# plain function would cost each request a hop to the thread pool and back for each of them.
async def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.plantalent
    return state


StateDep = Annotated[AppState, Depends(get_state)]


async def get_driver(state: StateDep) -> Driver:
    return state.driver


async def get_settings(state: StateDep) -> Settings:
    return state.settings


DriverDep = Annotated[Driver, Depends(get_driver)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

bearer = HTTPBearer(auto_error=False, description="token from `plantalent users add`")


async def current_user(request: Request, state: StateDep,
                       creds: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None) -> Principal:
    """The caller named by the bearer token: 401 without a valid one (enabled, not expired) — the same
    answer whatever the reason; 429 for a client that has failed too often (``SignInLimiter``)."""
    if creds is None or not creds.credentials:
        raise Unauthorized()
    client = request.client.host if request.client else "unknown"
    token = creds.credentials
    version = await graph_version(state)
    known, principal = state.tokens.peek(token, version)
    if not known:
        if state.signins.blocked(client):
            raise TooManyRequests("登录失败次数过多，请稍后再试 (too many failed sign-ins)",
                                  state.signins.retry_after(client))
        if len(token) <= 512:
            principal = await run_in_threadpool(state.tokens.lookup, state.driver, state.settings, token, version)
    if principal is None:
        state.signins.failed(client)
        raise Unauthorized()
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]


def allow(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting only ``roles``; others get the same 404 as a missing route."""

    async def check(user: CurrentUser) -> Principal:
        if user.role not in roles:
            raise NotFound()
        return user

    return check


def resolve_person_id(state: AppState, raw: str) -> str:
    """A person ID from a path: the ID itself or its pseudonym (``p_...``); 404 if neither."""
    if raw.startswith("p_"):
        pid = state.refs.decode(raw)
        if pid is None:
            raise NotFound()
        return pid
    return raw.strip().upper()


def ensure_person_in_scope(state: AppState, user: Principal, person_id: str) -> None:
    """unit_hr sees only its unit's current staff (active employment or registration today); a
    provincial user persons with a current record in its province or concerned by an alert it sees
    (queries.scope). 404 otherwise."""
    scope = Scope.of(user)
    if not scope.national and person_id not in visible_persons(state.driver, state.settings, scope, [person_id],
                                                               state.today()):
        raise NotFound()


def ensure_unit_in_scope(state: AppState, user: Principal, unit_id: str) -> None:
    """unit_hr sees only its own unit; a provincial user the units of its province. 404 otherwise."""
    scope = Scope.of(user)
    if not scope.national and unit_id not in visible_units(state.driver, state.settings, scope, [unit_id]):
        raise NotFound()


def present(state: AppState, user: Principal, obj: Any, *, drop_alerts: bool = True) -> Any:
    """The response body for ``user``: JSON values, masked unless the role sees data in full, persons
    linked by ``person_ref``; alert details removed for roles that have no alerts. For unit HR also
    persons outside its unit by name only, and nothing derived from alerts (credit factors, yellow-list
    reasons)."""
    data = jsonable(obj)
    if user.role == "unit_hr":
        data = scoped_for_unit_hr(state, user, data)
    data = public_payload(data, unmask=user.unmasked, refs=state.refs)
    if drop_alerts and user.role not in ALERT_ROLES:
        data = _drop_alerts(data)
    return data


def scoped_for_unit_hr(state: AppState, user: Principal, data: Any) -> Any:
    """``data`` (JSON values, unmasked) as unit HR may see it: persons who are not its unit's current
    staff by name only (no ID, no ref, no link), nothing derived from alerts."""
    named = person_ids_in(data)
    staff = visible_persons(state.driver, state.settings, Scope.of(user), named, state.today())
    return without_alerts(names_only(data, staff), load_config(state.settings).yellow_grades)


async def wants_fresh(request: Request) -> bool:
    """The request says ``Cache-Control: no-cache``: compute the answer again (and keep the new one)."""
    return "no-cache" in request.headers.get("cache-control", "").lower()


Fresh = Annotated[bool, Depends(wants_fresh)]


async def graph_version(state: AppState) -> str:
    """The graph version as this process knows it (read from Neo4j, in a thread, when due)."""
    version = state.version.known()
    if version is None:
        version = await run_in_threadpool(state.version.current)
    return version


async def cached(state: AppState, user: Principal, model: type[BaseModel], key: Hashable,
                 compute: Callable[[], Any], fresh: bool = False) -> Response:
    """A read route's JSON answer for ``user``: kept from an earlier request of the same view at the
    current graph version, or ``compute()`` (the body for ``user``, see ``present``) rendered
    with ``model`` and kept. ``key`` names the route and its parameters; the caller's view (masking,
    alerts, a unit_hr's unit, a provincial user's province) and the as-of date are added here, so no view is served another's body.
    Errors (404 out of scope) are raised by ``compute`` and never kept. Requests for an answer that
    is being computed wait for that computation (``X-Cache: shared``) unless they ask ``no-cache``.

    A kept body is answered in the event loop; Neo4j reads (``compute``, the version now and then)
    run in the thread pool."""
    version = await graph_version(state)
    view = (user.unmasked, user.role in ALERT_ROLES, user.unit_id if user.role == "unit_hr" else None, user.province)
    full_key = (key, view, state.today())
    async def computed() -> bytes:
        return await run_in_threadpool(lambda: render(model, compute()))

    if fresh:
        body, how = await computed(), "miss"
    else:
        kept = state.responses.get(version, full_key)
        if kept is not None:
            body, how = kept, "hit"
        else:
            body, shared = await state.flights.run((version, full_key), computed)
            how = "shared" if shared else "miss"
    if how == "miss":
        state.responses.put(version, full_key, body)
    return Response(body, media_type="application/json", headers={"X-Cache": how})


def _drop_alerts(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _drop_alerts(v) for k, v in data.items() if k not in {"alerts", "open_alerts"}}
    if isinstance(data, list):
        return [_drop_alerts(v) for v in data]
    return data
