"""`bulk_load`: a first load into an empty managed store through Neo4j's own bulk importer.

The rows go through exactly what the transactional loader (ingest/loader.py) runs: the same readers,
the same `Validator` (so the same error report lines and exit codes) and the same `to_row` / `org_row`
(so the same properties, row hashes and provenance). Instead of Cypher writes, each accepted row
becomes lines of the importer's CSV files (ingest/image.py), mirroring the node and relationship shapes
of queries/ingest/*.cypher; the files are read and checked side by side in worker processes, with the
same outcome as one after the other (ingest/bulk_read.py). Then:

1. `neo4j-admin database import full` writes a new store into a staging folder under
   PLANTALENT_HOME (the live store is not touched);
2. the managed server is stopped, the live store and the staged one are swapped (a journal makes an
   interrupted swap roll back, graph/server.py), and the server is started again;
3. the schema (constraints, range and full-text indexes) is created and populated, list properties
   the CSV format cannot hold are set, and the load is recorded (:Load, graph version).

The load is in the journal from its start like any other (ingest/journal.py): ``running`` in the live
store while it validates and imports, so a load killed before the swap is committed is found
``interrupted`` in the store that stays; the new store takes over the journal's earlier entries.

It refuses (`BulkUnavailable`, before anything is written) an external NEO4J_URI, whose store files
it cannot reach, and a graph that already holds data: the importer only makes new stores.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.db import batched, forget_bookmarks
from graph.errors import Unavailable
from graph.schema import init_schema
from graph.server import ManagedNeo4j
from graph.settings import Settings
from graph.version import bump
from ingest import journal
from ingest.bulk_read import read_all, workers_of
from ingest.errors import ErrorReport
from ingest.image import ARRAY_DELIMITER, StoreImage
from ingest.loader import LoadReport, describe_failure, new_load_id, preflight
from ingest.readers import Source

CYPHER = CypherFiles(__file__, "bulk")
# List properties the CSV cannot always hold: (label, key, property) -> fix-up query of ingest/bulk/.
LIST_FIXUPS = {("Expert", "expert_id", "fields"): "set_expert_fields",
               ("Award", "award_id", "person_ids"): "set_award_person_ids"}


@dataclass
class BulkReport(LoadReport):
    """A LoadReport with where the bulk load's time went (BulkTimings)."""

    mode: str = "bulk"
    timings: dict[str, float] = field(default_factory=dict)
    # The importer's own stages, from its output (node import, relationship import, ...), seconds.
    importer_stages: dict[str, float] = field(default_factory=dict)


class BulkUnavailable(Unavailable):
    """The bulk path cannot run here (external server, or a graph that already holds data); says why."""


class BulkImportError(Unavailable):
    """Neo4j's importer failed; the live store is untouched. Names the importer's log."""


@dataclass
class BulkTimings:
    """Where a bulk load's time went (seconds)."""

    validate_and_write_csv: float = 0.0
    importer: float = 0.0
    server_down: float = 0.0
    schema: float = 0.0
    finish: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 2) for k, v in asdict(self).items()}


_STAGE_DONE = re.compile(r"^([A-Z][a-z]+(?: [a-z]+)*) COMPLETED in ((?:\d+[a-z]+ ?)+)$", re.MULTILINE)
_UNIT_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def importer_stages(output: str) -> dict[str, float]:
    """The seconds of each stage the importer reports done ("Node import COMPLETED in 1m 2s 5ms"), by
    stage name in lower case, in its order."""
    return {m.group(1).lower(): round(sum(int(n) * _UNIT_SECONDS[u] for n, u in re.findall(r"(\d+)([a-z]+)", m.group(2))), 3)
            for m in _STAGE_DONE.finditer(output)}


def require_managed(settings: Settings) -> None:
    """BulkUnavailable (saying why) unless NEO4J_URI names the managed local server."""
    if not settings.managed:
        raise BulkUnavailable(
            f"--bulk needs the managed local server: the bulk importer writes Neo4j's store files itself, with the "
            f"server stopped, and NEO4J_URI={settings.neo4j_uri} is a server this project does not run, so its files "
            "are out of reach; load without --bulk (transactional writes work with any server)")


def check_bulk_possible(driver: Driver, settings: Settings) -> None:
    """BulkUnavailable (saying why) unless the server is the managed local one and its graph holds no data."""
    require_managed(settings)
    nodes = driver.execute_query(CYPHER.load("data_nodes"), database_=settings.neo4j_database).records[0]["nodes"]
    if nodes:
        raise BulkUnavailable(
            f"the graph already holds {nodes} nodes; the bulk importer only builds a new store and would replace them: "
            "load without --bulk (transactional, adds and updates), or into an empty graph")


def bulk_wanted(driver: Driver, settings: Settings, sources: list[Source]) -> bool:
    """The default choice of path: bulk for a load of at least ``settings.ingest_bulk_rows`` rows (estimated)
    into an empty managed store; transactional otherwise (and always for an external server)."""
    threshold = settings.ingest_bulk_rows
    if threshold < 0 or not settings.managed or sum(s.estimated_rows or 0 for s in sources) < threshold:
        return False
    try:
        check_bulk_possible(driver, settings)
    except BulkUnavailable:
        return False
    return True


def _staging_root(server: ManagedNeo4j) -> Path:
    return server.dir / "bulk"


@contextmanager
def _only_bulk_load(server: ManagedNeo4j) -> Iterator[Path]:
    """Hold this home's bulk-load lock (released by the kernel if the process dies); clear the staging
    folders that loads cut short left behind. Yields the staging root."""
    root = _staging_root(server)
    root.mkdir(parents=True, exist_ok=True)
    with open(server.dir / "bulk.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BulkUnavailable("another bulk load into this PLANTALENT_HOME is running; wait for it") from None
        if not server.journal.exists():  # else the old store is still in a staging folder
            for path in root.iterdir():
                shutil.rmtree(path, ignore_errors=True)
        yield root


def bulk_load(driver: Driver, settings: Settings, folder: Path, errors_path: Path | None = None,
              progress: bool = False) -> BulkReport:
    """Load ``folder`` into an empty managed store with Neo4j's importer (see the module docstring).

    Returns the report (``timings`` filled in); raises IngestFatal for an unusable folder and
    BulkUnavailable / BulkImportError when it cannot run. Whatever fails, or wherever the process is killed,
    the previous store stays (the swap is committed only at the very end).
    """
    began = time.monotonic()
    sources = preflight(Path(folder))
    check_bulk_possible(driver, settings)
    server = ManagedNeo4j(settings)
    report = BulkReport(load_id=new_load_id(), errors_path=str(errors_path) if errors_path else None)
    timings = BulkTimings()
    with _only_bulk_load(server) as root:
        journal.settle(driver, settings)
        heartbeat = journal.start(driver, settings, report.load_id, str(Path(folder).resolve()), report.mode,
                                  [s.file for s in sources])
        try:
            _bulk_load(driver, settings, server, root, sources, folder, report, timings, began, progress,
                       heartbeat.stop)
        except BaseException as exc:
            _record_failure(driver, settings, report, exc, began)
            raise
        finally:
            heartbeat.stop()
    report.seconds = round(time.monotonic() - began, 3)
    report.index_seconds = round(timings.schema, 3)
    report.timings = timings.as_dict()
    return report


def _record_failure(driver: Driver, settings: Settings, report: BulkReport, exc: BaseException, began: float) -> None:
    """The journal entry of a bulk load that failed (in the store that stays). If even that cannot be
    written (the server down), the entry stays ``running`` and the next command marks it ``interrupted``."""
    files = [asdict(f) for f in report.per_file.values()]
    try:
        journal.finish(driver, settings, report.load_id,
                       journal.Outcome("failed", files, round(time.monotonic() - began, 3), report.errors_path,
                                       error=describe_failure(exc)))
    except Exception:  # noqa: BLE001 - the load's own error is the one to raise
        pass


def _bulk_load(driver: Driver, settings: Settings, server: ManagedNeo4j, root: Path, sources: list[Source],
               folder: Path, report: BulkReport, timings: BulkTimings, began: float, progress: bool,
               stop_heartbeat: Callable[[], None]) -> None:
    """Validate, import, swap and finish (bulk_load's steps, within its lock and journal entry)."""
    errors_path = Path(report.errors_path) if report.errors_path else None
    staging = root / report.load_id
    csv_dir = staging / "csv"
    csv_dir.mkdir(parents=True)
    started_at = datetime.now(UTC)
    image = StoreImage(csv_dir, report.load_id, started_at.isoformat())
    swapped = False
    try:
        errors = ErrorReport(errors_path)
        try:
            read_all(sources, image, errors, report, settings.batch_size, workers_of(settings.ingest_read_workers),
                     progress)
        finally:
            errors.close()
        report.error_count, report.errors = errors.count, errors.kept
        args = image.close()
        timings.validate_and_write_csv = time.monotonic() - began
        mark = time.monotonic()
        log = staging / "import.log"
        threads = settings.ingest_import_threads or 2 * (os.cpu_count() or 1)
        done = server.import_full(staging, [*args, f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
                                            f"--report-file={staging / 'import.report'}",
                                            f"--threads={threads}", settings.neo4j_database], log)
        timings.importer = time.monotonic() - mark
        output = log.read_text(encoding="utf-8", errors="replace")
        report.importer_stages = importer_stages(output)
        if done.returncode != 0:
            tail = "\n".join(output.splitlines()[-12:])
            raise BulkImportError(f"Neo4j's importer failed (exit {done.returncode}); the graph is unchanged. "
                                  f"Last lines of its output:\n{tail}")
        # Nothing may have been written since the first check: the swap would drop it.
        check_bulk_possible(driver, settings)
        earlier = [r["p"] for r in driver.execute_query(CYPHER.load("earlier_loads"), load_id=report.load_id,
                                                         database_=settings.neo4j_database).records]
        # The journal entry beats in the store being replaced: no beats into a stopped server (the driver
        # would retry each one, noisily), and none are needed (the new store does not hold the entry).
        stop_heartbeat()
        swapped = True
        timings.server_down = server.replace_store(staging / "data", settings.neo4j_database)
        forget_bookmarks(driver, settings)
        mark = time.monotonic()
        init_schema(driver, settings)
        timings.schema = time.monotonic() - mark
        mark = time.monotonic()
        _finish(driver, settings, image, report, folder, started_at, began, earlier)
        server.commit_swap()
        timings.finish = time.monotonic() - mark
    except BaseException:
        if swapped:
            server.rollback_swap()
            forget_bookmarks(driver, settings)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _finish(driver: Driver, settings: Settings, image: StoreImage, report: LoadReport, folder: Path,
            started_at: datetime, began: float, earlier: list[dict[str, Any]]) -> None:
    """After the swap: list properties the CSV could not hold, experts' status history, the journal (the
    earlier entries and this load's), the graph version."""
    db = settings.neo4j_database
    driver.execute_query(CYPHER.load("carry_loads"), loads=earlier, database_=db)
    for (label, _key, prop), rows in image.fixups.items():
        query = CYPHER.load(LIST_FIXUPS[(label, _key, prop)])
        for chunk in batched(rows, 10_000):
            driver.execute_query(query, rows=chunk, database_=db)
    driver.execute_query(CYPHER.load("expert_status"), database_=db)
    files = {name: asdict(f) for name, f in report.per_file.items()}
    driver.execute_query(CYPHER.load("load_record"), load_id=report.load_id, dir=str(Path(folder).resolve()),
                         started_at=started_at, files=json.dumps(files, ensure_ascii=False), rows=report.rows,
                         loaded=report.loaded, rejected=report.rejected,
                         duration_s=round(time.monotonic() - began, 3), errors_path=report.errors_path, database_=db)
    bump(driver, settings, "ingest (bulk)")


__all__ = ["ARRAY_DELIMITER", "BulkImportError", "BulkReport", "BulkUnavailable", "StoreImage", "bulk_load", "bulk_wanted", "check_bulk_possible",
           "require_managed"]
