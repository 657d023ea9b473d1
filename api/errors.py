"""Errors of the web API and their mapping to HTTP — the one place where that happens."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from neo4j.exceptions import ClientError, ServiceUnavailable, SessionExpired, TransientError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("plantalent.api")

# The body of a 404 for a record or route the caller may not see is the same as for one that does
# not exist, so scope never leaks existence.
NOT_FOUND_BODY = {"detail": "Not Found"}


class ApiError(Exception):
    """A request that cannot be served; ``status`` and ``detail`` go to the client."""

    status = 400

    def __init__(self, detail: str = "bad request", errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class NotFound(ApiError):
    """Missing, or outside the caller's scope (deliberately indistinguishable)."""

    status = 404

    def __init__(self, detail: str = "Not Found") -> None:
        super().__init__(detail)


class Unauthorized(ApiError):
    """No valid bearer token."""

    status = 401

    def __init__(self, detail: str = "需要有效的访问令牌 (Authorization: Bearer TOKEN)") -> None:
        super().__init__(detail)


class BadRequest(ApiError):
    """The request is well-formed JSON but not acceptable (field errors in ``errors``)."""

    status = 400


class NotReady(ApiError):
    """A stage this route serves is not installed in this build."""

    status = 503


def stage(module: str, name: str) -> Any:
    """``module.name`` imported when first needed, so the app starts even if a stage is missing."""
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        log.error("stage %s.%s unavailable: %s", module, name, exc)
        raise NotReady(f"{module}.{name} 不可用 (not available in this build)") from exc


class Conflict(ApiError):
    """The request clashes with the record's state."""

    status = 409


def _field_errors(errors: Any) -> list[dict[str, Any]]:
    # Only loc/msg/type: `input` may echo secrets and `ctx` may hold exceptions (not JSON).
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))} for e in errors]


def install_error_handlers(app: FastAPI) -> None:
    """Map domain, validation and database errors to HTTP responses."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        if isinstance(exc, NotFound):
            return JSONResponse(NOT_FOUND_BODY, status_code=404)
        body: dict[str, Any] = {"detail": exc.detail}
        if exc.errors:
            body["errors"] = exc.errors
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        return JSONResponse(body, status_code=exc.status, headers=headers)

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

    @app.exception_handler(ValueError)
    async def value_error(_: Request, exc: ValueError) -> JSONResponse:
        # The query layer raises ValueError for arguments it rejects (unknown status, bad date).
        return JSONResponse({"detail": str(exc) or "bad request"}, status_code=400)

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
