"""Jobs (DESIGN.md "Data lifecycle"): an ingest upload loads its files and then refreshes tags, alerts and
credit; `plantalent refresh` runs the refresh alone. A job is a ``:Job`` node, so every serve process
sharing the Neo4j sees every job (DESIGN.md "Scale-out").

A job is ``queued`` until every older job still pending has run and the graph's writer slot is free
(graph/worklock.py): jobs never interleave with each other nor with a CLI `ingest`. It is then
``running`` through its stages, reporting the stage and progress, and ends ``done`` or ``failed``
(naming the stage and the error; the stages before it are complete, so the graph is as after the last
completed stage). A job whose process is gone (killed, restarted) is marked ``interrupted`` by the next
one that looks (`settle`): an upload's files went with it and it must be uploaded again.
"""

from __future__ import annotations

import json
import logging
import queue
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.errors import NotFound
from graph.process import Heartbeat, Owner, this_process
from graph.settings import Settings
from graph.worklock import WriterSlot, is_gone
from ingest import journal
from ingest.errors import read_report
from ingest.loader import load_folder
from queries.refresh import REFRESH_STAGES, Context, run_stage
from tagging.embed import Embedder

CYPHER = CypherFiles(__file__, "jobs")
log = logging.getLogger("plantalent.jobs")

KINDS: dict[str, tuple[str, ...]] = {"ingest": ("load", *REFRESH_STAGES), "refresh": REFRESH_STAGES}
# Rows of the error report a job keeps (the first ones; the count is in the outcome).
ERROR_ROWS = 500
PROGRESS_EVERY_S = 1.0


class JobNotFound(NotFound):
    """No job with that id."""


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _iso(value: Any) -> Any:
    value = _native(value)
    return value.isoformat() if isinstance(value, datetime | date) else value


def upload_dir(settings: Settings, job_id: str) -> Path:
    """Where the files of an ingest job wait for it (removed when the job ends)."""
    return Path(settings.home).resolve() / "uploads" / job_id


def create_job(driver: Driver, settings: Settings, kind: str, *, requested_by: str,
               params: dict[str, Any] | None = None, job_id: str | None = None) -> str:
    """Record a queued job of this process; returns its id."""
    job_id = job_id or new_job_id()
    driver.execute_query(CYPHER.load("create"), job_id=job_id, kind=kind, stages=list(KINDS[kind]),
                         requested_by=requested_by, owner=json.dumps(this_process().as_dict()),
                         params=json.dumps(params or {}, ensure_ascii=False, default=str), now=datetime.now(UTC),
                         database_=settings.neo4j_database)
    return job_id


def new_job_id() -> str:
    return datetime.now(UTC).strftime("J%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]


def _public(node: dict[str, Any]) -> dict[str, Any]:
    def loads(v: Any) -> Any:
        return json.loads(v) if isinstance(v, str) and v else v or {}

    done, total = int(node.get("progress_done") or 0), int(node.get("progress_total") or 0)
    return {
        "job_id": node["job_id"], "kind": node.get("kind"), "status": node.get("status"), "stage": node.get("stage"),
        "stages": list(node.get("stages") or []), "done_stages": list(node.get("done_stages") or []),
        "progress": {"done": done, "total": total, "note": node.get("progress_note"),
                     "percent": round(100 * done / total, 1) if total else None},
        "requested_by": node.get("requested_by"), "params": loads(node.get("params")),
        "created_at": _iso(node.get("created_at")), "started_at": _iso(node.get("started_at")),
        "finished_at": _iso(node.get("finished_at")), "outcome": loads(node.get("outcome")),
        "error": node.get("error"), "failed_stage": node.get("failed_stage"),
    }


def get_job(driver: Driver, settings: Settings, job_id: str) -> dict[str, Any]:
    """One job as the API shows it: status, stage, progress, outcome (JobNotFound if there is none)."""
    records = driver.execute_query(CYPHER.load("get"), job_id=job_id, database_=settings.neo4j_database).records
    if not records:
        raise JobNotFound(job_id)
    return _public(records[0]["job"])


def list_jobs(driver: Driver, settings: Settings, limit: int = 20) -> list[dict[str, Any]]:
    """The newest jobs first."""
    records = driver.execute_query(CYPHER.load("list"), limit=int(limit), database_=settings.neo4j_database).records
    return [_public(r["job"]) for r in records]


def _update(driver: Driver, settings: Settings, job_id: str, **values: Any) -> None:
    driver.execute_query(CYPHER.load("update"), job_id=job_id, set=values, now=datetime.now(UTC),
                         database_=settings.neo4j_database)


def settle(driver: Driver, settings: Settings) -> list[str]:
    """Mark queued or running jobs whose process is gone as ``interrupted``; returns their ids."""
    now = datetime.now(UTC)
    gone = [r["job_id"] for r in driver.execute_query(CYPHER.load("pending"), database_=settings.neo4j_database).records
            if is_gone(Owner.from_dict(json.loads(r["owner"]) if r["owner"] else None), _native(r["heartbeat_at"]),
                       settings, now)]
    if gone:
        driver.execute_query(CYPHER.load("interrupt"), job_ids=gone, now=now, database_=settings.neo4j_database,
                             reason="the job's process stopped before it finished (upload the files again)")
    return gone


def _wait_turn(driver: Driver, settings: Settings, job_id: str, poll_s: float = 1.0) -> None:
    """Wait until no older job is still pending (queued or running) in a live process."""
    while True:
        settle(driver, settings)
        pending = [r["job_id"] for r in driver.execute_query(CYPHER.load("pending"),
                                                              database_=settings.neo4j_database).records]
        if job_id not in pending or pending.index(job_id) == 0:
            return
        time.sleep(poll_s)


def _load(ctx: Context, job_id: str, params: dict[str, Any], progress: Callable[[str, int, int], None]) -> dict[str, Any]:
    folder = upload_dir(ctx.settings, job_id)
    errors_path = folder / "ingest-errors.csv"
    report = load_folder(ctx.driver, ctx.settings, folder / "in", errors_path=errors_path,
                         snapshot=bool(params.get("snapshot")), allow_mass_retire=bool(params.get("allow_mass_retire")),
                         on_progress=progress)
    out = {k: getattr(report, k) for k in ("load_id", "mode", "rows", "loaded", "unchanged", "rejected", "retired",
                                           "exit_code", "error_count", "notes", "seconds")}
    out["per_file"] = {name: {k: getattr(f, k) for k in ("file", "rows", "loaded", "unchanged", "rejected", "retired",
                                                         "kept", "note")}
                       for name, f in report.per_file.items()}
    out["errors"] = [asdict(e) for e in (read_report(errors_path)[:ERROR_ROWS] if errors_path.is_file() else [])]
    return out


def run_job(driver: Driver, settings: Settings, job_id: str, *, embedder: Embedder | None = None,
            on_change: Callable[[], None] | None = None) -> dict[str, Any]:
    """Run a queued job of this process to its end: wait for its turn and the writer slot, then each stage.

    Never raises for a failing stage: the job ends ``failed`` with the stage and the error (returned
    too). ``on_change`` is called after each stage that may have changed the graph (the web app's
    version watch)."""
    job = get_job(driver, settings, job_id)
    params = job["params"]
    as_of = date.fromisoformat(params["as_of"]) if params.get("as_of") else settings.today()
    ctx = Context(driver, settings, as_of, embedder)
    outcome: dict[str, Any] = {}
    try:
        _wait_turn(driver, settings, job_id)
        with WriterSlot(driver, settings, f"job {job_id} ({job['kind']})"), \
                Heartbeat(lambda: driver.execute_query(CYPHER.load("beat"), job_id=job_id, now=datetime.now(UTC),
                                                       database_=settings.neo4j_database), settings.heartbeat_s):
            journal.settle(driver, settings)
            _update(driver, settings, job_id, status="running", started_at=datetime.now(UTC))
            done: list[str] = []
            last = [0.0]

            def progress(note: str, n: int, total: int) -> None:
                now = time.monotonic()
                if now - last[0] >= PROGRESS_EVERY_S or n >= total:
                    last[0] = now
                    _update(driver, settings, job_id, progress_done=n, progress_total=total, progress_note=note)

            for i, stage in enumerate(job["stages"]):
                _update(driver, settings, job_id, stage=stage, progress_done=i, progress_total=len(job["stages"]),
                        progress_note=stage)
                try:
                    outcome[stage] = _load(ctx, job_id, params, progress) if stage == "load" else run_stage(ctx, stage)
                except Exception as exc:  # noqa: BLE001 - the job says where it failed; later stages do not run
                    log.exception("job %s failed in stage %s", job_id, stage)
                    _update(driver, settings, job_id, status="failed", failed_stage=stage, error=_describe(exc),
                            finished_at=datetime.now(UTC), outcome=json.dumps(outcome, ensure_ascii=False, default=str))
                    return get_job(driver, settings, job_id)
                finally:
                    if on_change is not None:
                        on_change()
                done.append(stage)
                _update(driver, settings, job_id, done_stages=done,
                        outcome=json.dumps(outcome, ensure_ascii=False, default=str))
            _update(driver, settings, job_id, status="done", stage=None, finished_at=datetime.now(UTC),
                    progress_done=len(done), progress_total=len(done), progress_note="done")
    finally:
        shutil.rmtree(upload_dir(settings, job_id), ignore_errors=True)
    return get_job(driver, settings, job_id)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:1000]


class JobRunner:
    """The jobs a serve process accepted, run one after another on a background thread."""

    def __init__(self, driver: Driver, settings: Settings, embedder: Callable[[], Embedder | None] = lambda: None,
                 on_change: Callable[[], None] | None = None) -> None:
        self.driver, self.settings, self.embedder, self.on_change = driver, settings, embedder, on_change
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="jobs", daemon=True)
        self._thread.start()

    def submit(self, job_id: str) -> None:
        self._queue.put(job_id)

    def _run(self) -> None:
        while (job_id := self._queue.get()) is not None:
            try:
                run_job(self.driver, self.settings, job_id, embedder=self.embedder(), on_change=self.on_change)
            except Exception:  # noqa: BLE001 - one job's failure (the database gone) must not stop the runner
                log.exception("job %s could not run", job_id)

    def stop(self) -> None:
        self._queue.put(None)
