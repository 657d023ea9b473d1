"""The load journal: one ``:Load`` node per `ingest` run (DESIGN.md "Data lifecycle").

A load is ``running`` while its process works (a heartbeat every ``settings.heartbeat_s``), then
``done`` or ``failed``. A load whose process is gone (killed with -9, the machine or Neo4j stopped
under it) is marked ``interrupted`` by the next command that looks (`settle`): every CLI command
that opens the graph, the web service at start and each job. Running the same ingest again finishes
such a load (unchanged rows are skipped).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.db import write_once
from graph.process import Heartbeat, Owner, this_process
from graph.settings import Settings
from graph.worklock import is_gone

CYPHER = CypherFiles(__file__, "journal")
STATUSES = ("running", "done", "failed", "interrupted")
FILE_COUNTS = ("rows", "loaded", "unchanged", "rejected", "retired")


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def start(driver: Driver, settings: Settings, load_id: str, folder: str, mode: str, files: list[str]) -> Heartbeat:
    """Record a running load; returns its heartbeat, already beating (stop it when the load ends)."""
    driver.execute_query(CYPHER.load("start"), load_id=load_id, folder=folder, mode=mode,
                         files=json.dumps(files, ensure_ascii=False), owner=json.dumps(this_process().as_dict()),
                         now=datetime.now(UTC), database_=settings.neo4j_database)

    def beat() -> None:
        write_once(driver, settings, CYPHER.load("beat"), load_id=load_id, now=datetime.now(UTC))

    return Heartbeat(beat, settings.heartbeat_s).__enter__()


def progress(driver: Driver, settings: Settings, load_id: str, files: list[dict[str, Any]]) -> None:
    """Record the per-file counts of a running load so far."""
    driver.execute_query(CYPHER.load("progress"), load_id=load_id, files=json.dumps(files, ensure_ascii=False),
                         database_=settings.neo4j_database)


@dataclass
class Outcome:
    """What `finish` records."""

    status: str
    files: list[dict[str, Any]]
    duration_s: float
    errors_path: str | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    # the persons whose records changed (None: too many to keep) and the kinds changed that concern many
    touched: list[str] | None = None
    broad: list[str] = field(default_factory=list)
    # the projects created or changed (None: too many to keep): tagging follows them to their members
    projects: list[str] | None = None


def finish(driver: Driver, settings: Settings, load_id: str, outcome: Outcome) -> None:
    """Record the end of a load with its per-file counts and totals."""
    totals = {k: sum(int(f.get(k) or 0) for f in outcome.files) for k in FILE_COUNTS}
    params: dict[str, Any] = {"load_id": load_id, "status": outcome.status,
                              "files": json.dumps(outcome.files, ensure_ascii=False), "duration_s": outcome.duration_s,
                              "errors_path": outcome.errors_path, "error": outcome.error, "notes": outcome.notes,
                              "touched": outcome.touched, "broad": outcome.broad,
                              "projects": outcome.projects, "now": datetime.now(UTC), **totals}
    driver.execute_query(CYPHER.load("finish"), params, database_=settings.neo4j_database)


def settle(driver: Driver, settings: Settings) -> list[str]:
    """Mark every ``running`` load whose process is gone as ``interrupted``; returns their ids."""
    db = settings.neo4j_database
    now = datetime.now(UTC)
    gone = [r["load_id"] for r in driver.execute_query(CYPHER.load("running"), database_=db).records
            if is_gone(Owner.from_dict(json.loads(r["owner"]) if r["owner"] else None), _native(r["heartbeat_at"]),
                       settings, now)]
    if gone:
        driver.execute_query(CYPHER.load("interrupt"), load_ids=gone, now=now, database_=db,
                             reason="the load's process stopped before it finished (run the same ingest again)")
    return gone


def _iso(value: Any) -> str | None:
    value = _native(value)
    return value.isoformat() if isinstance(value, datetime) else value


def _files(raw: Any) -> list[dict[str, Any]]:
    """Per-file entries of a journal node: a list of dicts (older loads: a dict by name, or file names)."""
    data = json.loads(raw) if isinstance(raw, str) else raw or []
    if isinstance(data, dict):
        data = list(data.values())
    return [f if isinstance(f, dict) else {"file": f} for f in data]


def list_loads(driver: Driver, settings: Settings, limit: int = 50, load_id: str | None = None) -> list[dict[str, Any]]:
    """The journal, newest first: load_id, folder, mode, started, finished, status, totals and per file
    rows / loaded / unchanged / rejected / retired (DESIGN.md "Data lifecycle")."""
    rows = driver.execute_query(CYPHER.load("list"), limit=int(limit), load_id=load_id,
                                database_=settings.neo4j_database).records
    out = []
    for r in rows:
        node = r["load"]
        files = [{"file": f.get("file"), "kind": f.get("kind"), **{k: int(f.get(k) or 0) for k in FILE_COUNTS},
                  **{k: f[k] for k in ("kept", "note") if f.get(k)}}
                 for f in _files(node.get("files"))]
        out.append({
            "load_id": node.get("load_id"), "folder": node.get("folder") or node.get("dir"),
            "mode": node.get("mode") or "add", "started": _iso(node.get("started_at")),
            "finished": _iso(node.get("finished_at")), "status": node.get("status"),
            **{k: int(node.get(k) or 0) for k in FILE_COUNTS},
            "duration_s": node.get("duration_s"), "error": node.get("error"), "notes": list(node.get("notes") or []),
            "files": files,
        })
    return out
