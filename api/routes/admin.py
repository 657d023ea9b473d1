"""Administration: ingest uploads, users and the audit log (admin only)."""

from __future__ import annotations

import csv
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, UploadFile

from api.deps import ADMIN_ROLES, StateDep, allow, present
from api.schemas import AuditPublic, IngestReportPublic, UserCreatedPublic, UserIn, UsersPublic
from graph.errors import InvalidInput, TooLarge
from ingest.loader import load_folder
from queries import audit
from queries.users import Principal, create_user, list_users

router = APIRouter(prefix="/api", tags=["admin"])
Admin = Annotated[Principal, Depends(allow(*ADMIN_ROLES))]
ALLOWED_SUFFIXES = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 512 * 1024 * 1024
MAX_ERROR_ROWS = 500


def _safe_name(name: str | None) -> str | None:
    base = Path((name or "").replace("\\", "/")).name.strip()
    if not base or base.startswith(".") or not base.lower().endswith(ALLOWED_SUFFIXES):
        return None
    return base


@router.post("/ingest", response_model=IngestReportPublic)
def ingest_files(state: StateDep, user: Admin,
                 files: Annotated[list[UploadFile], File(description="units.csv, persons.xlsx, …")]) -> Any:
    """Load uploaded CSV/XLSX files (the ingest folder format); returns the load report with errors."""
    errors = [{"loc": ["body", "files", i], "msg": f"{f.filename!r}: only .csv / .xlsx files", "type": "value_error"}
              for i, f in enumerate(files) if _safe_name(f.filename) is None]
    names = [_safe_name(f.filename) for f in files]
    if len({n for n in names if n}) != len([n for n in names if n]):
        errors.append({"loc": ["body", "files"], "msg": "duplicate file names", "type": "value_error"})
    if errors or not files:
        raise InvalidInput("上传文件无效 (invalid upload)", errors or [{"loc": ["body", "files"], "msg": "no files", "type": "missing"}])
    with tempfile.TemporaryDirectory(prefix="plantalent-upload-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        total = 0
        for f, name in zip(files, names, strict=True):
            with open(folder / str(name), "wb") as out:
                shutil.copyfileobj(f.file, out, 1024 * 1024)
                total += out.tell()
            if total > MAX_UPLOAD_BYTES:
                raise TooLarge("上传文件过大 (upload too large)")
        errors_path = Path(tmp) / "ingest-errors.csv"
        # The loader's own errors (an unreadable file, missing columns) are InvalidInput: the upload's fault.
        report = load_folder(state.driver, state.settings, folder, errors_path=errors_path, progress=False)
        state.version.changed()  # the load bumped the graph version: cached pages and the expert index renew
        body: dict[str, Any] = report.to_json() if hasattr(report, "to_json") else asdict(report)
        body.pop("errors_path", None)  # a temporary file, gone with this request
        body["files"] = [n for n in names if n]
        if not body.get("errors") and errors_path.is_file():
            with open(errors_path, encoding="utf-8-sig", newline="") as fh:
                body["errors"] = [row for _, row in zip(range(MAX_ERROR_ROWS), csv.DictReader(fh), strict=False)]
        body["errors"] = list(body.get("errors") or [])[:MAX_ERROR_ROWS]
    state.audit.record(user, "ingest", body.get("load_id"),
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


@router.post("/users", response_model=UserCreatedPublic, status_code=201)
def add_user(state: StateDep, user: Admin, body: UserIn) -> Any:
    """Create a user; the token is in this response only."""
    user_id, token = create_user(state.driver, state.settings, body.role, body.unit_id, body.name)
    state.audit.record(user, "user_add", user_id, {"role": body.role, "unit_id": body.unit_id})
    return {"user_id": user_id, "role": body.role, "unit_id": body.unit_id, "name": body.name or user_id, "token": token}
