"""The one place where errors become HTTP responses and CLI exit codes.

Every stage raises the kinds of ``graph.errors`` (or their subclasses) where it detects a problem;
their kind alone decides the status and the exit code here. Database outages answer 503; anything
else unexpected is a 500 with nothing of the error shown (it is logged).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from neo4j.exceptions import ClientError, ServiceUnavailable, SessionExpired, TransientError
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from graph.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PlantalentError,
    TooLarge,
    TooManyRequests,
    Unauthorized,
    Unavailable,
    Unprocessable,
)

log = logging.getLogger("plantalent.api")

# kind -> (HTTP status, CLI exit code). The CLI's 2 is "usage or fatal error" (DESIGN.md, ingest).
KINDS: dict[type[PlantalentError], tuple[int, int]] = {
    InvalidInput: (400, 2),
    Unprocessable: (422, 2),
    NotFound: (404, 1),
    Conflict: (409, 1),
    Unauthorized: (401, 2),
    TooLarge: (413, 2),
    TooManyRequests: (429, 2),
    Unavailable: (503, 2),
    PlantalentError: (500, 1),
}

# The body of a 404 for a record or route the caller may not see is the same as for one that does
# not exist, so scope never leaks existence.
NOT_FOUND_BODY = {"detail": "Not Found"}
# One body for every refused token (missing, malformed, unknown, expired, disabled): it tells nothing of why.
UNAUTHORIZED_DETAIL = "需要有效的访问令牌 (Authorization: Bearer TOKEN)"


class ErrorPublic(BaseModel):
    """The body of every error answer: ``detail`` (a message, or for 422 the field errors) and, for some
    400s, ``errors`` (field errors with their location)."""

    detail: str | list[dict[str, Any]]
    errors: list[dict[str, Any]] | None = None


# What each error status means on this API (the OpenAPI text of its answer).
STATUS_TEXT: dict[int, str] = {
    400: "Invalid input (a bad value, a query the search cannot parse, an unusable upload)",
    401: "No valid token: missing, malformed, unknown, expired or disabled (the body never says which)",
    404: "No such record, or one outside the caller's role or scope (indistinguishable)",
    409: "The request clashes with the record's current state",
    413: "Request body over the size limit (refused before it is read)",
    422: "Request validation failed (field errors in detail)",
    429: "Too many failed sign-ins from this client (see Retry-After)",
    503: "The graph database is unavailable (see Retry-After)",
}
# The errors any route can answer: a body that cannot be parsed, oversized bodies, validation, database
# outages; and those of every route that needs a token.
COMMON_ERRORS = (400, 413, 422, 503)
TOKEN_ERRORS = (401, 404, 429)


def responses(*statuses: int, token: bool = True) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a router or route: ``statuses`` with the common ones (and, for routes that
    need a token, 401/404/429), each with the error body and its meaning. Every router of the API is
    made with it (``APIRouter(..., responses=responses())``) and a route adds its own (409, 400, …), so
    the OpenAPI document declares every status a route can answer."""
    wanted = sorted({*statuses, *COMMON_ERRORS, *(TOKEN_ERRORS if token else ())})
    return {code: {"model": ErrorPublic, "description": STATUS_TEXT[code]} for code in wanted}


def _kind(exc: PlantalentError) -> tuple[int, int]:
    for cls in type(exc).__mro__:
        if cls in KINDS:
            return KINDS[cls]
    return KINDS[PlantalentError]


def http_status(exc: PlantalentError) -> int:
    """The HTTP status answering ``exc``."""
    return _kind(exc)[0]


def exit_code(exc: PlantalentError) -> int:
    """The CLI exit code of ``exc``."""
    return _kind(exc)[1]


def _field_errors(errors: Any) -> list[dict[str, Any]]:
    # Only loc/msg/type: `input` may echo secrets and `ctx` may hold exceptions (not JSON).
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))} for e in errors]


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app answers on this request's path."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    """Map the project's errors, validation and database errors to HTTP responses."""

    @app.exception_handler(PlantalentError)
    async def plantalent_error(_: Request, exc: PlantalentError) -> JSONResponse:
        status = http_status(exc)
        if status == 404:
            return JSONResponse(NOT_FOUND_BODY, status_code=404)
        if status == 401:
            return JSONResponse({"detail": UNAUTHORIZED_DETAIL}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        if status == 429:
            retry = str(getattr(exc, "retry_after_s", 60))
            return JSONResponse({"detail": exc.message or "Too Many Requests"}, status_code=429, headers={"Retry-After": retry})
        if status >= 500 and status != 503:
            log.error("unexpected %s: %s", type(exc).__name__, exc)
            return JSONResponse({"detail": "服务器内部错误"}, status_code=status)
        body: dict[str, Any] = {"detail": exc.message or type(exc).__name__}
        if exc.errors:
            body["errors"] = exc.errors
        if exc.details:
            body.update({k: v for k, v in exc.details.items() if k != "detail"})
        return JSONResponse(body, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _field_errors(exc.errors())}, status_code=422)

    @app.exception_handler(ValidationError)
    async def model_invalid(_: Request, exc: ValidationError) -> JSONResponse:
        return JSONResponse({"detail": _field_errors(exc.errors())}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return JSONResponse(NOT_FOUND_BODY, status_code=404)
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            # Starlette names the methods of the first route on the path only; GET and POST /api/users are two.
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers or None)

    @app.exception_handler(ClientError)
    async def cypher_client_error(_: Request, exc: ClientError) -> JSONResponse:
        # e.g. a full-text query the Lucene parser rejects: the caller's input, not our fault.
        log.warning("neo4j client error: %s", exc)
        return JSONResponse({"detail": "查询条件无效 (invalid query)"}, status_code=400)

    @app.exception_handler(ServiceUnavailable)
    @app.exception_handler(SessionExpired)
    @app.exception_handler(TransientError)
    async def db_unavailable(_: Request, exc: Exception) -> JSONResponse:
        log.error("neo4j unavailable: %s", exc)
        return JSONResponse({"detail": "图数据库暂不可用，请稍后重试"}, status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse({"detail": "服务器内部错误"}, status_code=500)
