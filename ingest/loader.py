"""`load_folder`: the 13 input files of one folder -> the graph, with an error report and a journal entry.

Order: units, persons, then the other files (reorganizations last). Every file is checked first
(present, readable, encoding, usable header); a fatal problem raises `IngestFatal` before anything
is written. Rows are then read, validated and written in batches of ``settings.batch_size``; a bad
value rejects its row (error report), never the load. Each load is a ``:Load`` node of the journal
(ingest/journal.py): ``running`` → ``done`` / ``failed``, or ``interrupted`` when its process died.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from neo4j import Driver
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from graph.cypher import CypherFiles
from graph.db import batched
from graph.errors import Unavailable
from graph.masking import mask_text
from graph.schema import drop_ingest_indexes, init_schema, missing_schema, restore_indexes
from graph.settings import Settings
from graph.version import bump
from ingest import journal
from ingest import snapshot as snapshots
from ingest.errors import ErrorReport, IngestError, IngestFatal, LoadInterrupted
from ingest.readers import Source, files_progress, find_inputs, open_source
from ingest.schemas import LOAD_ORDER, SPEC_BY_NAME
from ingest.snapshot import MassRetire
from ingest.validate import Known, Lookup, Validator
from ingest.writers import FAST_PATH, REL_KEYS, BatchResult, BatchWriter, org_row, to_row

CYPHER = CypherFiles(__file__, "loader")
# Kinds whose changes concern many persons at once (a unit's contacts, a project's start, ...): a refresh
# after them looks at everyone. Changes to other kinds name their persons (ingest.writers.persons_of).
BROAD = frozenset({"units", "projects", "applications", "reorganizations"})
TOUCHED_MAX = 50_000
# Called as rows are read: (file, rows read so far in this load, estimated rows of the load).
ProgressHook = Callable[[str, int, int], None]


@dataclass
class FileReport:
    """Counts of one input file: rows read, loaded (new or changed), unchanged, rejected (with the
    reasons in the error report), retired (snapshot loads)."""

    file: str
    kind: str = ""
    rows: int = 0
    loaded: int = 0
    unchanged: int = 0
    rejected: int = 0
    retired: int = 0
    seconds: float = 0.0
    encoding: str | None = None
    ignored_columns: list[str] = field(default_factory=list)
    # Snapshot loads: records absent from the file but kept (still referenced), and why nothing was retired.
    kept: int = 0
    note: str | None = None


@dataclass
class LoadReport:
    """The outcome of one load (also recorded as a :Load node of the journal)."""

    load_id: str
    mode: str = "add"
    rows: int = 0
    loaded: int = 0
    unchanged: int = 0
    rejected: int = 0
    retired: int = 0
    per_file: dict[str, FileReport] = field(default_factory=dict)
    exit_code: int = 0
    errors_path: str | None = None
    error_count: int = 0
    # The first 1000 errors (all of them are in the report file).
    errors: list[IngestError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Seconds spent building the secondary indexes at the end of a bulk load into an empty graph (0: none deferred).
    index_seconds: float = 0.0
    # Persons whose records were created, changed or retired: what the refresh after the load looks at
    # (queries/refresh.py); not kept beyond TOUCHED_MAX (then every person is looked at).
    persons: set[str] = field(default_factory=set, repr=False)
    # Projects created or changed: tagging looks again at their members (queries/refresh.py); not kept
    # beyond TOUCHED_MAX either.
    projects: set[str] = field(default_factory=set, repr=False)

    def touched(self) -> tuple[list[str] | None, list[str], list[str] | None]:
        """(the persons changed, or None when too many to keep), (the kinds changed that concern many
        persons), (the projects changed, or None when too many to keep)."""
        persons = sorted(self.persons) if len(self.persons) <= TOUCHED_MAX else None
        projects = sorted(self.projects) if len(self.projects) <= TOUCHED_MAX else None
        return (persons, sorted(k for k, f in self.per_file.items() if k in BROAD and (f.loaded or f.retired)),
                projects)

    def to_json(self) -> dict[str, object]:
        out = asdict(self)
        out.pop("persons")
        out.pop("projects")
        out["errors"] = [asdict(e) for e in self.errors]
        return out

    def totals(self) -> None:
        for name in ("rows", "loaded", "unchanged", "rejected", "retired"):
            setattr(self, name, sum(getattr(f, name) for f in self.per_file.values()))


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


def _row_key(file_name: str, row: dict[str, Any]) -> str:
    rel_keys = REL_KEYS.get(file_name)
    return str(row["k"]) if rel_keys is None else "|".join(str(row[k]) for k in rel_keys)


class _Counter:
    """Applies each committed batch's result to its file's counts (writer threads call it)."""

    def __init__(self, errors: ErrorReport) -> None:
        self.errors = errors
        self.lock = threading.Lock()
        self.persons: set[str] = set()  # persons whose records were created, changed or retired
        self.projects: set[str] = set()  # projects created or changed

    def hook(self, report: FileReport, file_name: str) -> Callable[[BatchResult], None]:
        def done(result: BatchResult) -> None:
            with self.lock:
                report.loaded += result.new + result.changed
                report.unchanged += result.unchanged
                report.rejected += len(result.refused)
                self.persons |= result.persons
                self.projects |= result.projects
            for row, reason in result.refused:
                self.errors.add(IngestError(report.file, int(row["line"]), "", _row_key(file_name, row), reason))

        return done


def load_folder(driver: Driver, settings: Settings, folder: Path, errors_path: Path | None = None,
                progress: bool = False, *, snapshot: bool = False, allow_mass_retire: bool = False,
                on_progress: ProgressHook | None = None) -> LoadReport:
    """Load the input files of ``folder``; write rejected rows to ``errors_path`` (if given).

    ``snapshot``: each file is the complete current extract of its kind; records of the kind that it
    no longer holds are retired (ingest/snapshot.py), unless that would retire more than
    ``settings.snapshot_max_retire_share`` of a kind and ``allow_mass_retire`` is not given.

    Returns the LoadReport (exit_code 0 all rows loaded, 3 some rejected). Raises IngestFatal or
    MassRetire (nothing written) when the folder or a file is unusable, Unavailable when Neo4j fails
    before anything is written, LoadInterrupted when it fails after some rows were (run it again to finish).
    """
    began = time.monotonic()
    sources = preflight(Path(folder))
    ensure_schema(driver, settings)
    journal.settle(driver, settings)
    plans = snapshots.plan(driver, settings, sources) if snapshot else {}
    snapshots.check(plans, settings, allow_mass_retire)
    deferred = defer_indexes(driver, settings, sources)
    report = LoadReport(load_id=new_load_id(), mode="snapshot" if snapshot else "add",
                        errors_path=str(errors_path) if errors_path else None)
    db = settings.neo4j_database
    heartbeat = journal.start(driver, settings, report.load_id, str(Path(folder).resolve()), report.mode,
                              [s.file for s in sources])
    errors = ErrorReport(errors_path)
    counter = _Counter(errors)
    known = Known()
    lookup = _lookup(driver, settings)
    writer = BatchWriter(driver, settings, report.load_id)
    bar = files_progress(progress)
    estimated = sum(s.estimated_rows or 0 for s in sources)
    read_so_far = 0
    failure: BaseException | None = None
    try:
        with bar:
            for source in sources:
                file_report = FileReport(source.file, source.spec.name, encoding=source.encoding,
                                         ignored_columns=source.ignored)
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
                done = counter.hook(file_report, source.spec.name)
                for chunk in batched(source.rows(), settings.batch_size):
                    checked = validator.check(chunk)
                    for error in checked.errors:
                        errors.add(error)
                    rows = [to_row(source.spec.name, line, values) for line, values in checked.rows]
                    orgs = [org_row(o) for o in checked.orgs]
                    with counter.lock:
                        file_report.rows += len(chunk)
                        file_report.rejected += checked.rejected
                    # A fresh file's batches are independent: distinct keys (duplicates are rejected) and
                    # every node they link to is in an earlier file or in a batch with new orgs (a barrier).
                    writer.submit(source.spec.name, source.file, rows, orgs, done=done, fresh=fresh, independent=fresh)
                    bar.update(task, advance=len(chunk))
                    read_so_far += len(chunk)
                    if on_progress is not None:
                        on_progress(source.file, read_so_far, max(estimated, read_so_far))
                writer.flush()
                bump(driver, settings, f"ingest {source.spec.name}")
                file_report.seconds = round(time.monotonic() - started, 3)
                bar.update(task, total=file_report.rows, completed=file_report.rows)
                journal.progress(driver, settings, report.load_id, [asdict(f) for f in report.per_file.values()])
        writer.close()
        if plans:
            _retire(driver, settings, report, plans)
        if deferred:
            began_index = time.monotonic()
            restore_indexes(driver, settings)
            report.index_seconds = round(time.monotonic() - began_index, 3)
            deferred = []
    except BaseException as exc:
        failure = exc
    finally:
        writer.close()
        errors.close()
        heartbeat.stop()
        if deferred:
            try:  # a failed load still leaves a complete schema (the next load would restore it too)
                restore_indexes(driver, settings)
            except Exception:  # noqa: BLE001 - never hide the original failure
                pass
        report.totals()
        report.persons |= counter.persons
        report.projects |= counter.projects
        report.error_count = errors.count
        report.errors = errors.kept
        report.exit_code = 3 if report.rejected else 0
        report.seconds = round(time.monotonic() - began, 3)
        touched, broad, projects = report.touched()
        outcome = journal.Outcome("done" if failure is None else "failed",
                                  [asdict(f) for f in report.per_file.values()], report.seconds,
                                  report.errors_path, None if failure is None else describe_failure(failure), report.notes,
                                  touched, broad, projects)
        try:
            journal.finish(driver, settings, report.load_id, outcome)
            if failure is not None and writer.committed:
                bump(driver, settings, "ingest (failed)")
        except Exception:  # noqa: BLE001 - Neo4j may be gone; the next command marks the load interrupted
            if failure is None:
                raise
    if failure is not None:
        raise _failure(report, failure, writer.committed) from failure
    return report


def _retire(driver: Driver, settings: Settings, report: LoadReport, plans: dict[str, snapshots.KindPlan]) -> None:
    """The retire step of a snapshot load, its counts and notes in the report."""
    def accepted(kind: str) -> int:
        f = report.per_file[kind]
        return f.loaded + f.unchanged

    done = snapshots.retire(driver, settings, plans, accepted, report.load_id)
    for kind, result in done.items():
        f = report.per_file[kind]
        f.retired, f.kept, f.note = result.retired, result.kept, result.note
        report.persons |= result.persons
        if result.note:
            report.notes.append(result.note)
    if any(r.retired for r in done.values()):
        bump(driver, settings, "ingest (retired)")


def describe_failure(exc: BaseException) -> str:
    """A load's failure as the journal keeps it: its type and the first line of its message, at most 500
    characters (the rest may quote the data), ID numbers, phones and e-mail addresses masked (Neo4j's
    messages quote the key a statement failed on, and the journal is shown on pages and in the CLI)."""
    if isinstance(exc, KeyboardInterrupt):
        return "stopped by the user"
    text = str(exc).strip().splitlines()
    return mask_text(f"{type(exc).__name__}: {text[0] if text else ''}")[:500]


def _failure(report: LoadReport, exc: BaseException, committed: int) -> BaseException:
    """The error a failed load raises: its own when nothing was written (exit 2 stays "nothing
    written"), LoadInterrupted (exit 1) when some batches were."""
    if isinstance(exc, KeyboardInterrupt):
        return exc
    if not committed:
        if isinstance(exc, ServiceUnavailable | SessionExpired | OSError):
            return Unavailable(f"Neo4j is not available ({describe_failure(exc)}); nothing was written")
        return exc
    return LoadInterrupted(f"load {report.load_id} stopped after writing part of its rows ({describe_failure(exc)}); "
                           "run the same ingest again to finish it")


__all__ = ["FileReport", "IngestFatal", "LoadInterrupted", "LoadReport", "MassRetire", "describe_failure", "load_folder",
           "preflight"]
