"""`load_folder`: the 13 input files of one folder -> the graph, with an error report.

Order: units, persons, then the other files (reorganizations last). Every file is checked first
(present, readable, encoding, usable header); a fatal problem raises `IngestFatal` before anything
is written. Rows are then read, validated and written in batches of ``settings.batch_size``.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from neo4j import Driver
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graph.cypher import CypherFiles
from graph.db import batched
from graph.schema import drop_ingest_indexes, init_schema, missing_schema, restore_indexes
from graph.settings import Settings
from graph.version import bump
from ingest.errors import ErrorReport, IngestError, IngestFatal
from ingest.readers import Source, find_inputs, open_source
from ingest.schemas import LOAD_ORDER, SPEC_BY_NAME
from ingest.validate import Known, Lookup, Validator
from ingest.writers import FAST_PATH, BatchWriter, org_row, to_row

CYPHER = CypherFiles(__file__, "loader")


@dataclass
class FileReport:
    """Counts of one input file."""

    file: str
    rows: int = 0
    loaded: int = 0
    rejected: int = 0
    seconds: float = 0.0
    encoding: str | None = None
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    """The outcome of one load (also recorded as a :Load node)."""

    load_id: str
    rows: int = 0
    loaded: int = 0
    rejected: int = 0
    per_file: dict[str, FileReport] = field(default_factory=dict)
    exit_code: int = 0
    errors_path: str | None = None
    error_count: int = 0
    # The first 1000 errors (all of them are in the report file).
    errors: list[IngestError] = field(default_factory=list)
    seconds: float = 0.0
    # Seconds spent building the secondary indexes at the end of a bulk load into an empty graph (0: none deferred).
    index_seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        out = asdict(self)
        out["errors"] = [asdict(e) for e in self.errors]
        return out


def new_load_id() -> str:
    """A sortable unique id for one load."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]


def preflight(folder: Path) -> list[Source]:
    """Open every input file of ``folder`` in load order; IngestFatal on the first unusable one."""
    found = find_inputs(Path(folder), LOAD_ORDER)
    return [open_source(SPEC_BY_NAME[name], found[name]) for name in LOAD_ORDER if name in found]


def ensure_schema(driver: Driver, settings: Settings) -> None:
    """Create the schema unless every constraint and index of graph/schema/schema.cypher is there.

    Also restores indexes an interrupted bulk load left dropped (see `defer_indexes`).
    """
    if missing_schema(driver, settings):
        init_schema(driver, settings)


def defer_indexes(driver: Driver, settings: Settings, sources: list[Source]) -> list[str]:
    """Drop the ingest labels' secondary indexes when a big load goes into a graph without ingest nodes.

    Returns the dropped names ([] when nothing was deferred); `restore_indexes` rebuilds them at the end.
    Uniqueness constraints (which MERGE/MATCH and the hash look-ups use) are never dropped.
    """
    threshold = settings.ingest_defer_index_rows
    if threshold < 0 or sum(s.estimated_rows or 0 for s in sources) < threshold:
        return []
    nodes = driver.execute_query(CYPHER.load("ingest_nodes"), database_=settings.neo4j_database).records[0]["nodes"]
    if nodes:
        return []
    return drop_ingest_indexes(driver, settings)


def _lookup(driver: Driver, settings: Settings) -> Lookup:
    def lookup(kind: str, ids: list[str]) -> set[str]:
        records = driver.execute_query(CYPHER.load(f"exists_{kind}"), ids=ids,
                                       database_=settings.neo4j_database, routing_="r").records
        return {r["id"] for r in records}

    return lookup


def load_folder(driver: Driver, settings: Settings, folder: Path, errors_path: Path | None = None,
                progress: bool = False) -> LoadReport:
    """Load the input files of ``folder``; write rejected rows to ``errors_path`` (if given).

    Returns the LoadReport (exit_code 0 all rows loaded, 3 some rejected). Raises IngestFatal
    (nothing written) when the folder or a file is unusable.
    """
    began = time.monotonic()
    sources = preflight(Path(folder))
    ensure_schema(driver, settings)
    deferred = defer_indexes(driver, settings, sources)
    report = LoadReport(load_id=new_load_id(), errors_path=str(errors_path) if errors_path else None)
    db = settings.neo4j_database
    driver.execute_query(CYPHER.load("load_start"), load_id=report.load_id, dir=str(Path(folder).resolve()),
                         files=json.dumps([s.file for s in sources], ensure_ascii=False), database_=db)
    errors = ErrorReport(errors_path)
    known = Known()
    lookup = _lookup(driver, settings)
    writer = BatchWriter(driver, settings, report.load_id)
    bar = Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   disable=not progress, transient=False, console=Console(stderr=True))
    status = "failed"
    try:
        with bar:
            for source in sources:
                file_report = FileReport(source.file, encoding=source.encoding, ignored_columns=source.ignored)
                report.per_file[source.spec.name] = file_report
                task = bar.add_task(source.file, total=source.estimated_rows or None)
                started = time.monotonic()
                validator = Validator(source, known, lookup)
                fresh = False
                if source.spec.name in FAST_PATH:
                    # No entity of this file in the graph yet: every row is new (keys are unique within a
                    # file), so its batches skip the stored-hash read. A resumed load finds some: not fresh.
                    counts = driver.execute_query(CYPHER.load("fast_path_counts"), database_=db).records[0]
                    fresh = counts[source.spec.name] == 0
                for chunk in batched(source.rows(), settings.batch_size):
                    checked = validator.check(chunk)
                    for error in checked.errors:
                        errors.add(error)
                    rows = [to_row(source.spec.name, line, values) for line, values in checked.rows]
                    orgs = [org_row(o) for o in checked.orgs]
                    file_report.rows += len(chunk)
                    file_report.loaded += len(rows)
                    file_report.rejected += checked.rejected
                    # A fresh file's batches are independent: distinct keys (duplicates are rejected) and
                    # every node they link to is in an earlier file or in a batch with new orgs (a barrier).
                    writer.submit(source.spec.name, source.file, rows, orgs, fresh=fresh, independent=fresh)
                    bar.update(task, advance=len(chunk))
                writer.flush()
                bump(driver, settings, f"ingest {source.spec.name}")
                file_report.seconds = round(time.monotonic() - started, 3)
                bar.update(task, total=file_report.rows, completed=file_report.rows)
        writer.close()
        if deferred:
            began_index = time.monotonic()
            restore_indexes(driver, settings)
            report.index_seconds = round(time.monotonic() - began_index, 3)
            deferred = []
        status = "done"
    finally:
        writer.close()
        errors.close()
        if deferred:
            try:  # a failed load still leaves a complete schema (the next load would restore it too)
                restore_indexes(driver, settings)
            except Exception:  # noqa: BLE001 - never hide the original failure
                pass
        report.rows = sum(f.rows for f in report.per_file.values())
        report.loaded = sum(f.loaded for f in report.per_file.values())
        report.rejected = sum(f.rejected for f in report.per_file.values())
        report.error_count = errors.count
        report.errors = errors.kept
        report.exit_code = 3 if report.rejected else 0
        report.seconds = round(time.monotonic() - began, 3)
        files = {name: asdict(f) for name, f in report.per_file.items()}
        try:
            driver.execute_query(CYPHER.load("load_finish"), load_id=report.load_id, status=status,
                                 files=json.dumps(files, ensure_ascii=False), rows=report.rows,
                                 loaded=report.loaded, rejected=report.rejected, duration_s=report.seconds,
                                 errors_path=report.errors_path, database_=db)
            if status != "done":  # batches of the failed file may have committed
                bump(driver, settings, "ingest (failed)")
        except Exception:  # noqa: BLE001 - never hide the original failure
            if status == "done":
                raise
    return report


__all__ = ["FileReport", "IngestFatal", "LoadReport", "load_folder", "preflight"]
