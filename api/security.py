"""Web hardening shared by every response: security headers, request-body limits, and log lines
without ID numbers (DESIGN.md "Privacy and security").

Both middlewares are plain ASGI: they see a request before any route or body parser does, so an
oversized body is refused (413) from its ``Content-Length`` alone, or as soon as a streamed body
passes the limit, never after reading it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.masking import mask_text

# Scripts from this site only (no inline script, no eval); the pages set element styles, so inline
# style attributes stay allowed; never framed (clickjacking).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
                           "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP response (pages, API, static files, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in SECURITY_HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _too_large_detail(limit: int) -> str:
    return f"请求体过大（上限 {limit} 字节） (request body too large)"


class BodyTooLarge(HTTPException):
    """A streamed request body passed its limit. Raised from ``receive``, it reaches the app's error
    handlers as the 413 it is (FastAPI passes HTTPExceptions of body parsing through as they are)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=_too_large_detail(limit))


async def _answer_413(send: Send, limit: int) -> None:
    body = json.dumps({"detail": _too_large_detail(limit)}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuses request bodies over a limit with 413 before they are read: at once when the declared
    ``Content-Length`` is over it, else as soon as the streamed body passes it. ``limit_for(path)``
    gives the limit of a path (uploads get a larger one)."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app, self.limit_for = app, limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                too_large = False  # the server itself rejects a malformed length
            if too_large:
                await _answer_413(send, limit)
                return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _answer_413(send, limit)


# --- logs ------------------------------------------------------------------------------------------


def mask_path(path: str) -> str:
    """A request path (with its query) as a log may show it: ID numbers, phones and e-mails masked,
    also when percent-encoded."""
    decoded = unquote(path)
    return path if mask_text(decoded) == decoded else mask_text(decoded)


def mask_record(record: logging.LogRecord) -> None:
    """Mask ID numbers, phones and e-mails in a log record: the request path of uvicorn's access log
    (``args[2]``, the rest of its arguments kept for its formatter) and the message and traceback of
    any other record."""
    if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) == 5:
        args: list[Any] = list(record.args)
        args[2] = mask_path(str(args[2]))
        record.args = tuple(args)
        return
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # arguments that do not fit the message: logging reports it itself later
        return
    masked = mask_text(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))


_installed = False


def mask_logs() -> None:
    """Mask personal data in every log record of this process, whichever logger makes it (a filter on
    named loggers would miss records of their children, which skip their parents' filters)."""
    global _installed
    if _installed:
        return
    make = logging.getLogRecordFactory()

    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        mask_record(record)
        return record

    logging.setLogRecordFactory(masked_record)
    _installed = True
