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
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PlantalentError,
    TooLarge,
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
    Unavailable: (503, 2),
    PlantalentError: (500, 1),
}

# The body of a 404 for a record or route the caller may not see is the same as for one that does
# not exist, so scope never leaks existence.
NOT_FOUND_BODY = {"detail": "Not Found"}
UNAUTHORIZED_DETAIL = "需要有效的访问令牌 (Authorization: Bearer TOKEN)"


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


def install_error_handlers(app: FastAPI) -> None:
    """Map the project's errors, validation and database errors to HTTP responses."""

    @app.exception_handler(PlantalentError)
    async def plantalent_error(_: Request, exc: PlantalentError) -> JSONResponse:
        status = http_status(exc)
        if status == 404:
            return JSONResponse(NOT_FOUND_BODY, status_code=404)
        if status == 401:
            return JSONResponse({"detail": UNAUTHORIZED_DETAIL}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
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
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return JSONResponse(NOT_FOUND_BODY, status_code=404)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

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
