"""Administration: ingest uploads, users and the audit log (admin only)."""

from __future__ import annotations

import csv
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import ADMIN_ROLES, StateDep, allow, present
from api.errors import responses
from api.schemas import AuditPublic, IngestReportPublic, UserCreatedPublic, UserIn, UserPublic, UsersPublic
from graph.errors import InvalidInput
from ingest.loader import load_folder
from queries import audit
from queries.users import Principal, create_user, disable_user, list_users

router = APIRouter(prefix="/api", tags=["admin"], responses=responses())
Admin = Annotated[Principal, Depends(allow(*ADMIN_ROLES))]
ALLOWED_SUFFIXES = (".csv", ".xlsx")
MAX_FILES = 50
MAX_ERROR_ROWS = 500


def _safe_name(name: str | None) -> str | None:
    base = Path((name or "").replace("\\", "/")).name.strip()
    if not base or base.startswith(".") or not base.lower().endswith(ALLOWED_SUFFIXES):
        return None
    return base


# The upload's body, declared for the OpenAPI document: the route reads it itself, after the token check.
UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["files"],
    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"},
                             "description": "units.csv, persons.xlsx, …"}}}}}}


async def _read_upload(request: Request, folder: Path) -> list[str]:
    """The uploaded files written into ``folder``; their names. Called only once the caller is known to be
    an admin: an upload is never read for anyone else (the body limit applies while it is read)."""
    missing = RequestValidationError([{"loc": ("body", "files"), "msg": "Field required", "type": "missing"}])
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise missing
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES)
    except StarletteHTTPException as exc:
        if exc.status_code == 413:
            raise
        raise InvalidInput("上传内容无法解析 (unreadable multipart body)") from exc
    files = [f for k, f in form.multi_items() if k == "files" and isinstance(f, StarletteUploadFile)]
    if not files:
        raise missing
    names = [_safe_name(f.filename) for f in files]
    errors = [{"loc": ["body", "files", i], "msg": f"{f.filename!r}: only .csv / .xlsx files", "type": "value_error"}
              for i, (f, n) in enumerate(zip(files, names, strict=True)) if n is None]
    if len({n for n in names if n}) != len([n for n in names if n]):
        errors.append({"loc": ["body", "files"], "msg": "duplicate file names", "type": "value_error"})
    if errors or not files:
        raise InvalidInput("上传文件无效 (invalid upload)", errors or [{"loc": ["body", "files"], "msg": "no files", "type": "missing"}])
    for f, name in zip(files, names, strict=True):
        with open(folder / str(name), "wb") as out:
            await run_in_threadpool(shutil.copyfileobj, f.file, out, 1024 * 1024)
    await form.close()
    return [n for n in names if n]


@router.post("/ingest", response_model=IngestReportPublic, responses=responses(400),
             openapi_extra={"requestBody": UPLOAD_BODY})
async def ingest_files(request: Request, state: StateDep, user: Admin) -> Any:
    """Load uploaded CSV/XLSX files (the ingest folder format); returns the load report with errors.
    The body is read only after the token is known to be an admin's, and never beyond the upload limit."""
    with tempfile.TemporaryDirectory(prefix="plantalent-upload-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        names = await _read_upload(request, folder)
        errors_path = Path(tmp) / "ingest-errors.csv"
        # The loader's own errors (an unreadable file, missing columns) are InvalidInput: the upload's fault.
        report = await run_in_threadpool(lambda: load_folder(state.driver, state.settings, folder,
                                                             errors_path=errors_path, progress=False))
        state.version.changed()  # the load bumped the graph version: cached pages and the expert index renew
        body: dict[str, Any] = report.to_json() if hasattr(report, "to_json") else asdict(report)
        body.pop("errors_path", None)  # a temporary file, gone with this request
        body["files"] = names
        if not body.get("errors") and errors_path.is_file():
            with open(errors_path, encoding="utf-8-sig", newline="") as fh:
                body["errors"] = [row for _, row in zip(range(MAX_ERROR_ROWS), csv.DictReader(fh), strict=False)]
        body["errors"] = list(body.get("errors") or [])[:MAX_ERROR_ROWS]
    await state.audit.record_async(user, "ingest", body.get("load_id"),
                                   {"files": body["files"], "rows": body.get("rows"), "rejected": body.get("rejected")})
    return present(state, user, body)


@router.get("/audit", response_model=AuditPublic)
def list_audit(state: StateDep, user: Admin,
               user_id: Annotated[str | None, Query(max_length=100)] = None,
               action: Annotated[str | None, Query(max_length=50)] = None,
               target: Annotated[str | None, Query(max_length=200)] = None,
               page: Annotated[int, Query(ge=1, le=100000)] = 1,
               page_size: Annotated[int, Query(ge=1, le=500)] = 50) -> Any:
    """The audit log, newest first: unmasked views, alert decisions, ingests, user changes."""
    result = audit.list_events(state.driver, state.settings, user_id=user_id, action=action, target=target,
                               page=page, page_size=page_size)
    return present(state, user, result)


@router.get("/users", response_model=UsersPublic)
def read_users(state: StateDep, user: Admin) -> Any:
    """All users (never their tokens)."""
    rows = list_users(state.driver, state.settings)
    return present(state, user, {"data": rows, "count": len(rows)})


@router.post("/users", response_model=UserCreatedPublic, status_code=201, responses=responses(400))
def add_user(state: StateDep, user: Admin, body: UserIn) -> Any:
    """Create a user (its token holds ``days`` days); the token is in this response only. Audited with the creation."""
    user_id, token = create_user(state.driver, state.settings, body.role, body.unit_id, body.name,
                                 province=body.province, days=body.days, actor=user)
    created = next((u for u in list_users(state.driver, state.settings) if u["user_id"] == user_id), {})
    return present(state, user, {**created, "name": body.name or user_id, "token": token})


@router.post("/users/{user_id}/disable", response_model=UserPublic, responses=responses(409))
def disable_user_route(state: StateDep, user: Admin,
                       user_id: Annotated[str, PathParam(max_length=100)]) -> Any:
    """Disable a user: its token answers 401 from now on (in every service process within seconds).
    Audited with the change."""
    changed = disable_user(state.driver, state.settings, user_id, actor=user)
    state.version.changed()  # the disable moved the graph version: this process drops its cached token at once
    return present(state, user, changed)
