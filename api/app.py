"""The web service: `create_app(settings)` builds the FastAPI app (JSON under /api, pages elsewhere)."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from neo4j import Driver
from starlette.concurrency import run_in_threadpool
from swagger_ui_bundle import swagger_ui_path

from api.auth import SignInLimiter, TokenCache
from api.cache import ResponseCache
from api.deps import AppState
from api.errors import install_error_handlers
from api.routes import (
    admin,
    alerts,
    casework,
    credit,
    experts,
    health,
    lookup,
    pages,
    panels,
    persons,
    stats,
    units,
)
from api.security import BodyLimit, SecurityHeaders, mask_logs
from graph.db import connect
from graph.keys import person_ref_key
from graph.masking import PersonRefs
from graph.schema import init_schema
from graph.settings import Settings
from graph.version import VersionWatch
from ingest import journal
from queries import jobs
from queries.audit import AuditLog
from queries.experts import ExpertIndexCache
from tagging.embed import Embedder, EmbedderError, load_embedder, use_query_threads
from tagging.nlp import get_matcher

log = logging.getLogger("plantalent.api")

DESCRIPTION = """国土空间规划行业人才智库 — JSON API.

Every `/api` route except `/api/health` needs `Authorization: Bearer TOKEN` (from
`plantalent users add`); tokens expire and can be disabled. A record outside the caller's role or unit
scope answers 404, exactly as a missing one. ID numbers, birth dates, phones and e-mails are masked
except for inspectors and admins; their unmasked views are written to the audit log. Persons are
addressed by their pseudonym `person_ref` (an ID number in a path is accepted, and masked in logs).
"""


def _load_embedder(settings: Settings) -> Embedder | None:
    # Search and recommendation work without embeddings (tags + full text), so a model that
    # cannot load degrades ranking instead of stopping the service.
    try:
        return load_embedder(settings)
    except EmbedderError as exc:
        log.warning("embedding model not loaded (%s); search uses tags and full text only", exc)
        return None


def _warm_nlp() -> None:
    # spaCy + jieba load on first use (seconds, a minute on a busy machine): pay it at startup,
    # not inside the first search request.
    try:
        get_matcher().match("国土空间总体规划")
    except Exception as exc:  # noqa: BLE001
        log.warning("taxonomy matcher not warmed (%s)", exc)


# Routes that take file uploads: their bodies may be larger (PLANTALENT_API_MAX_UPLOAD_MB).
UPLOAD_PATHS = frozenset({"/api/ingest"})
EXPERT_INDEX_TTL_S = 300.0
# Every writer of plantalent bumps the graph version; this only bounds how long a change made by
# other means (by hand in Cypher) can stay unseen.
RESPONSE_MAX_AGE_S = 300.0


def _warm_up(state: AppState, load_models: bool, warm_nlp: bool) -> None:
    """What used to delay startup by a minute or more (spaCy + jieba, the expert index, torch and
    the sentence-transformers model), done after the server is up. Until the embedder is ready,
    search and recommendation rank with tags, full text, experience and credit (no embedding
    part); /api/health reports the warm-up state."""
    began = time.perf_counter()
    try:
        if warm_nlp:
            state.warmup = "nlp"
            _warm_nlp()
        if load_models:
            state.warmup = "expert_index"
            try:
                state.expert_index(state.version.current())
            except Exception as exc:  # noqa: BLE001 - loaded again on the first search
                log.warning("expert index not preloaded (%s)", exc)
            state.warmup = "embedder"
            embedder = _load_embedder(state.settings)
            if embedder is not None:
                use_query_threads(state.settings)
            state.embedder = embedder
        # The expert index, torch and the model are ~0.5 M long-lived objects: a full collection
        # walked them all (0.3-0.6 s, a pause for every request in flight). Freezing them keeps
        # them out of the cycle collector; they are still freed by reference counting.
        gc.freeze()
    finally:
        state.warmup = "ready"
        log.info("warm-up done in %.1f s (embedder: %s)", time.perf_counter() - began,
                 "loaded" if state.embedder is not None else "none")


def settle_work(driver: Driver, settings: Settings) -> None:
    """Mark the loads and jobs whose process is gone as interrupted."""
    journal.settle(driver, settings)
    jobs.settle(driver, settings)


def create_app(settings: Settings, driver: Driver | None = None, *, load_models: bool = True,
               warm_nlp: bool = True, background_warmup: bool = True) -> FastAPI:
    """The app; its lifespan opens the driver once (unless one is given), then warms the taxonomy
    matcher, the expert index and the embedder (each can be turned off for tests that do not
    search) — in a background thread unless ``background_warmup`` is False, so the server accepts
    requests within seconds."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = driver is None
        drv: Driver
        if driver is None:
            drv = await run_in_threadpool(connect, settings)
            await run_in_threadpool(init_schema, drv, settings)
        else:
            drv = driver
        mask_logs()  # after uvicorn configured its loggers: no ID number in any log line of this process
        key = await run_in_threadpool(person_ref_key, drv, settings)
        state = AppState(settings=settings, driver=drv, refs=PersonRefs(key),
                         tokens=TokenCache(settings.api_token_cache_s), embedder=None,
                         signins=SignInLimiter(settings.api_signin_limit),
                         experts=ExpertIndexCache(EXPERT_INDEX_TTL_S), audit=AuditLog(drv, settings),
                         version=VersionWatch(drv, settings, settings.api_cache_recheck_ms / 1000),
                         responses=ResponseCache(settings.api_cache_mb * 1_000_000, RESPONSE_MAX_AGE_S))
        app.state.plantalent = state
        # Loads and jobs of a process that is gone show as interrupted from now on (DESIGN.md "Data lifecycle").
        await run_in_threadpool(settle_work, drv, settings)
        if background_warmup:
            threading.Thread(target=_warm_up, args=(state, load_models, warm_nlp), name="warm-up", daemon=True).start()
        else:
            await run_in_threadpool(_warm_up, state, load_models, warm_nlp)
        try:
            yield
        finally:
            if state.jobs is not None:
                state.jobs.stop()
            if own:
                drv.close()

    # /docs is our own page (pages.docs): FastAPI's has an inline script and loads Swagger UI from a CDN.
    app = FastAPI(title="plantalent", description=DESCRIPTION, version="0.1.0", lifespan=lifespan,
                  docs_url=None, openapi_url="/openapi.json", redoc_url=None)
    install_error_handlers(app)
    for module in (health, lookup, experts, panels, persons, units, alerts, casework, credit, stats, admin):
        app.include_router(module.router)
    app.include_router(pages.router)
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")
    app.mount("/static", StaticFiles(directory=pages.STATIC), name="static")
    upload_limit, body_limit = settings.api_max_upload_mb * 1024 * 1024, settings.api_max_body_kb * 1024
    app.add_middleware(BodyLimit, limit_for=lambda path: upload_limit if path in UPLOAD_PATHS else body_limit)
    app.add_middleware(SecurityHeaders)  # added last: the outermost, so every answer carries the headers
    return app


def app_from_env() -> FastAPI:
    """The app with settings from the environment: the factory each `serve --workers N` process imports."""
    return create_app(Settings())
