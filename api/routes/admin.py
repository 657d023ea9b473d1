"""Administration: ingest uploads (as jobs), jobs, users and the audit log (admin only)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import ADMIN_ROLES, StateDep, allow, present
from api.errors import responses
from api.schemas import AuditPublic, JobPublic, JobsPublic, UserCreatedPublic, UserIn, UserPublic, UsersPublic
from graph.errors import InvalidInput
from queries import audit
from queries.jobs import create_job, get_job, list_jobs, new_job_id, upload_dir
from queries.users import Principal, create_user, disable_user, list_users

router = APIRouter(prefix="/api", tags=["admin"], responses=responses())
Admin = Annotated[Principal, Depends(allow(*ADMIN_ROLES))]
ALLOWED_SUFFIXES = (".csv", ".xlsx")
MAX_FILES = 50


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


@router.post("/ingest", response_model=JobPublic, status_code=202, responses=responses(400),
             openapi_extra={"requestBody": UPLOAD_BODY})
async def ingest_files(request: Request, state: StateDep, user: Admin,
                       snapshot: Annotated[bool, Query(description="each file is the complete current extract of its "
                                                                   "kind: retire what it no longer holds")] = False,
                       allow_mass_retire: Annotated[bool, Query(description="let a snapshot retire more than the "
                                                                            "allowed share of a kind")] = False) -> Any:
    """Accept uploaded CSV/XLSX files (the ingest folder format) as a job and answer at once (202, Location:
    /api/jobs/{job_id}). The job loads them, then refreshes tags, alerts and credit (tag → detect → credit);
    a second upload meanwhile waits its turn. The body is read only after the token is known to be an
    admin's, and never beyond the upload limit."""
    job_id = new_job_id()
    folder = upload_dir(state.settings, job_id) / "in"
    # The uploaded files hold ID numbers: private to the service's user until the job removes them.
    folder.parent.mkdir(parents=True, mode=0o700)
    folder.mkdir(mode=0o700)
    try:
        names = await _read_upload(request, folder)
    except BaseException:
        shutil.rmtree(folder.parent, ignore_errors=True)
        raise
    await run_in_threadpool(create_job, state.driver, state.settings, "ingest", requested_by=user.user_id,
                            job_id=job_id, params={"files": names, "snapshot": snapshot,
                                                   "allow_mass_retire": allow_mass_retire,
                                                   "as_of": state.today().isoformat()})
    await state.audit.record_async(user, "ingest", job_id, {"files": names, "snapshot": snapshot})
    state.jobs_runner().submit(job_id)
    job = await run_in_threadpool(get_job, state.driver, state.settings, job_id)
    return JSONResponse(jsonable_encoder(job), status_code=202, headers={"Location": f"/api/jobs/{job_id}"})


@router.get("/jobs/{job_id}", response_model=JobPublic)
def read_job(state: StateDep, user: Admin, job_id: Annotated[str, PathParam(max_length=64)]) -> Any:
    """A job: status (queued / running / done / failed / interrupted), stage, progress and outcome (the load's
    counts and first rejected rows, then each refresh stage's summary), or where it failed (404: no such job)."""
    return present(state, user, get_job(state.driver, state.settings, job_id))


@router.get("/jobs", response_model=JobsPublic)
def read_jobs(state: StateDep, user: Admin, limit: Annotated[int, Query(ge=1, le=200)] = 20) -> Any:
    """The newest jobs first."""
    rows = list_jobs(state.driver, state.settings, limit)
    return present(state, user, {"data": rows, "count": len(rows)})


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
