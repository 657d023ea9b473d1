"""The project's errors: one base, a small tree by kind. Each error is raised where it is detected;
its kind alone decides the HTTP status and the CLI exit code (mapped once, in ``api/errors.py``)."""

from __future__ import annotations

from typing import Any


class PlantalentError(Exception):
    """Base of every error plantalent raises on purpose. ``errors`` holds field errors, if any
    (``[{"loc": [...], "msg": ..., "type": ...}]``), shown to the caller beside the message;
    ``details`` more fields of the answer (e.g. the transitions a 409 allows)."""

    def __init__(self, message: str = "", errors: list[dict[str, Any]] | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.details = details


class InvalidInput(PlantalentError):
    """The caller's input is not acceptable (a bad value, a bad file, an unknown name)."""


class Unprocessable(InvalidInput):
    """Well-formed input that cannot be acted on as asked (e.g. a review panel larger than its
    qualified pool, a roster with a conflict of interest): HTTP 422, like a field error."""


class NotFound(PlantalentError):
    """No such record, or one outside the caller's scope (deliberately indistinguishable)."""


class Conflict(PlantalentError):
    """The request clashes with the record's current state (e.g. a status change not allowed)."""


class Unauthorized(PlantalentError):
    """No valid credentials."""


class TooLarge(PlantalentError):
    """The input exceeds a size limit."""


class TooManyRequests(PlantalentError):
    """The caller has tried too often (failed sign-ins); ``retry_after_s`` says when it may try again."""

    def __init__(self, message: str = "", retry_after_s: int = 60) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Unavailable(PlantalentError):
    """A component the work needs is not available (the database, a model, the Neo4j jars)."""
