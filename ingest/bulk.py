"""`bulk_load`: a first load into an empty managed store through Neo4j's own bulk importer.

The rows go through exactly what the transactional loader (ingest/loader.py) runs: the same readers,
the same `Validator` (so the same error report lines and exit codes) and the same `to_row` / `org_row`
(so the same properties, row hashes and provenance). Instead of Cypher writes, each accepted row
becomes lines of the importer's CSV files (`StoreImage`), mirroring the node and relationship shapes
of queries/ingest/*.cypher. Then:

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

import csv
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from neo4j import Driver
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graph.cypher import CypherFiles
from graph.db import batched, forget_bookmarks
from graph.errors import Unavailable
from graph.schema import init_schema
from graph.server import ManagedNeo4j
from graph.settings import Settings
from graph.version import bump
from ingest import journal
from ingest.errors import ErrorReport
from ingest.loader import FileReport, LoadReport, new_load_id, preflight
from ingest.readers import Source
from ingest.schemas import SPEC_BY_NAME
from ingest.validate import Known, Validator
from ingest.writers import org_row, to_row

CYPHER = CypherFiles(__file__, "bulk")
# Between the items of a list property in the importer's CSV: a character no list item holds (an item
# that does is set after the import instead, like an empty list, which the CSV format cannot express).
ARRAY_DELIMITER = "\x1f"
PROVENANCE = ("src_file", "src_line:long", "load_id", "loaded_at:datetime", "row_hash")
_TYPE_OF_KIND = {"date": "date", "month": "date", "int": "long", "bool": "boolean", "list": "string[]",
                 "persons": "string[]"}
# Properties to_row adds to a file's values (after the input columns), by file.
_DERIVED = {"units": ("region", "phone_norm", "email_norm"), "persons": ("phone_norm", "email_norm"),
            "registrations": ("reg_id",), "employments": ("emp_id",), "social_insurance": ("ins_id",),
            "reorganizations": ("reorg_id",)}
# Record nodes: file -> (label, key property). Their ID spaces are named by the label.
NODES = {"persons": ("Person", "person_id"), "registrations": ("Registration", "reg_id"),
         "employments": ("Employment", "emp_id"), "social_insurance": ("Insurance", "ins_id"),
         "experts": ("Expert", "expert_id"), "projects": ("Project", "project_id"),
         "applications": ("Application", "application_id"), "awards": ("Award", "award_id"),
         "violations": ("Violation", "violation_id"), "reorganizations": ("Reorganization", "reorg_id")}
# List properties the CSV cannot always hold: (label, key, property) -> fix-up query of ingest/bulk/.
LIST_FIXUPS = {("Expert", "expert_id", "fields"): "set_expert_fields",
               ("Award", "award_id", "person_ids"): "set_award_person_ids"}


@dataclass
class BulkReport(LoadReport):
    """A LoadReport with where the bulk load's time went (BulkTimings)."""

    mode: str = "bulk"
    timings: dict[str, float] = field(default_factory=dict)


class BulkUnavailable(Unavailable):
    """The bulk path cannot run here (external server, or a graph that already holds data); says why."""


class BulkImportError(Unavailable):
    """Neo4j's importer failed; the live store is untouched. Names the importer's log."""


def _node_columns(file_name: str) -> list[tuple[str, str]]:
    """(property, import type) of a file's record node, in to_row's order of ``p``."""
    spec = SPEC_BY_NAME[file_name]
    cols = [(c.name, _TYPE_OF_KIND.get(c.kind, "string")) for c in spec.columns]
    return cols + [(name, "string") for name in _DERIVED.get(file_name, ())]


def _header(columns: list[tuple[str, str]], key: str, space: str) -> list[str]:
    """The importer's header of a node file: the key column is the node's ID in ``space``."""
    return [f"{name}:ID({space})" if name == key else name if kind == "string" else f"{name}:{kind}"
            for name, kind in columns]


class _CsvFile:
    """One importer input file (header first), counting its rows."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self._fh: IO[str] = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self._fh, lineterminator="\n")
        self.writer.writerow(header)
        self.rows = 0

    def close(self) -> bool:
        """Close; True when some value spans lines (the importer must then parse it as multi-line)."""
        self._fh.close()
        with self.path.open("rb") as fh:
            newlines = sum(chunk.count(b"\n") + chunk.count(b"\r") for chunk in iter(lambda: fh.read(1 << 20), b""))
        return newlines != self.rows + 1


@dataclass
class _Org:
    labels: str
    values: dict[str, Any]


@dataclass
class StoreImage:
    """The importer's CSV files of one load, written row by row as the rows are validated.

    Mirrors queries/ingest/*.cypher on an empty graph: one record node per row with its provenance, the
    same relationships with theirs. Organisations are kept in memory until the end, because a later row
    may still name an external one (a payer name) or make it a unit.
    """

    folder: Path
    load_id: str
    loaded_at: str
    nodes: dict[str, tuple[str, _CsvFile]] = field(default_factory=dict)
    rels: dict[tuple[str, str, str], _CsvFile] = field(default_factory=dict)
    orgs: dict[str, _Org] = field(default_factory=dict)
    fixups: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)

    def _rel(self, rel_type: str, start: str, end: str, props: tuple[str, ...] = ()) -> _CsvFile:
        key = (rel_type, start, end)
        if key not in self.rels:
            header = [f":START_ID({start})", f":END_ID({end})", *props, *PROVENANCE]
            self.rels[key] = _CsvFile(self.folder / f"rel-{rel_type}-{start}-{end}.csv", header)
        return self.rels[key]

    def _node(self, file_name: str) -> _CsvFile:
        if file_name not in self.nodes:
            label, key = NODES[file_name]
            header = _header(_node_columns(file_name), key, label)
            self.nodes[file_name] = (label, _CsvFile(self.folder / f"node-{label}.csv", [*header, *PROVENANCE]))
        return self.nodes[file_name][1]

    def _list(self, label: str, key: str, prop: str, key_value: str, items: list[str]) -> str:
        """A list property's CSV cell; "" (property set after the import) when the CSV cannot hold it."""
        if items and not any(ARRAY_DELIMITER in item for item in items):
            return ARRAY_DELIMITER.join(items)
        self.fixups.setdefault((label, key, prop), []).append({"k": key_value, "v": items})
        return ""

    def add_orgs(self, src_file: str, orgs: list[dict[str, Any]]) -> None:
        """External organisations a batch names (queries/ingest/orgs.cypher: created once, a name filled in later)."""
        for org in orgs:
            known = self.orgs.get(org["unit_id"])
            if known is None:
                values = {"unit_id": org["unit_id"], "external": True, "name": org["name"], "unit_type": org["unit_type"],
                          "src_file": src_file, "src_line": org["line"], "row_hash": org_row(org)["h"]}
                self.orgs[org["unit_id"]] = _Org("Org", values)
            elif known.values["external"] and known.values["name"] is None and org["name"] is not None:
                known.values["name"] = org["name"]
                if known.values["unit_type"] is None:
                    known.values["unit_type"] = org["unit_type"]

    def add_rows(self, file_name: str, src_file: str, rows: list[dict[str, Any]]) -> None:
        """Accepted rows of one batch (to_row's parameter rows), in file order."""
        prov = (self.load_id, self.loaded_at)
        if file_name == "units":
            owned = self._rel("OWNED_BY", "Org", "Org")
            for row in rows:
                p = row["p"]
                # An external org becomes a unit with the row's properties only (units.cypher: SET o += row.p).
                values = {**p, "external": False, "src_file": src_file, "src_line": row["line"], "row_hash": row["h"]}
                self.orgs[row["k"]] = _Org("Org:Unit", values)
                if p["parent_unit_id"] is not None:
                    owned.writer.writerow((row["k"], p["parent_unit_id"], src_file, row["line"], *prov, row["h"]))
                    owned.rows += 1
            return
        if file_name == "project_members":
            member = self._rel("MEMBER_OF", "Person", "Project", ("role", "unit_id"))
            for row in rows:
                member.writer.writerow((row["person_id"], row["project_id"], row["p"]["role"], row["p"]["unit_id"],
                                        src_file, row["line"], *prov, row["h"]))
            member.rows += len(rows)
            return
        if file_name == "application_staff":
            declares = self._rel("DECLARES", "Application", "Person", ("role",))
            for row in rows:
                declares.writer.writerow((row["application_id"], row["person_id"], row["p"]["role"],
                                          src_file, row["line"], *prov, row["h"]))
            declares.rows += len(rows)
            return
        label, key = NODES[file_name]
        node = self._node(file_name)
        columns = _node_columns(file_name)
        names = [name for name, _ in columns]
        lists = [name for name, kind in columns if kind == "string[]"]
        bools = [name for name, kind in columns if kind == "boolean"]
        links = _LINKS[file_name]
        for row in rows:
            p = row["p"]
            if list(p) != names:  # to_row and this file's columns must agree, or the CSV would be wrong
                raise AssertionError(f"{file_name}: row properties {list(p)} differ from {names}")
            if lists or bools:
                p = dict(p)
                for name in lists:
                    p[name] = self._list(label, key, name, row["k"], p[name])
                for name in bools:
                    if p[name] is not None:
                        p[name] = "true" if p[name] else "false"
            tail = (src_file, row["line"], *prov, row["h"])
            node.writer.writerow((*p.values(), *tail))
            for rel_type, start, end, endpoints in links:
                rel = self._rel(rel_type, start, end)
                for a, b in endpoints(row):
                    rel.writer.writerow((a, b, *tail))
                    rel.rows += 1
        node.rows += len(rows)

    def close(self) -> list[str]:
        """Write the organisations, close every file; the importer's --nodes/--relationships arguments."""
        columns = _node_columns("units")
        unit_cols = [name for name, _ in columns]
        units = _CsvFile(self.folder / "node-Unit.csv", [*_header(columns, "unit_id", "Org"), "external:boolean",
                                                          *PROVENANCE])
        external = _CsvFile(self.folder / "node-Org.csv",
                            ["unit_id:ID(Org)", "external:boolean", "name", "unit_type", *PROVENANCE])
        prov = (self.load_id, self.loaded_at)
        for org in self.orgs.values():
            v = org.values
            if org.labels == "Org:Unit":
                units.writer.writerow((*(v[n] for n in unit_cols), "false", v["src_file"], v["src_line"], *prov,
                                       v["row_hash"]))
                units.rows += 1
            else:
                external.writer.writerow((v["unit_id"], "true", v["name"], v["unit_type"], v["src_file"],
                                          v["src_line"], *prov, v["row_hash"]))
                external.rows += 1
        args: list[str] = []
        multiline: list[str] = []
        files = [(f"--nodes={label}", f) for label, f in
                 [("Org:Unit", units), ("Org", external), *self.nodes.values()]]
        files += [(f"--relationships={rel_type}", f) for (rel_type, _, _), f in self.rels.items()]
        for option, f in files:
            if f.close():
                multiline.append(str(f.path))
            if f.rows:
                args.append(f"{option}={f.path}")
            else:
                f.path.unlink()
        if multiline:
            # Only the files that need it: multi-line parsing is much slower.
            args += ["--multiline-fields-format=v2", f"--multiline-fields={','.join(multiline)}"]
        return args


def _pairs(*pairs: tuple[Callable[[dict[str, Any]], Any], Callable[[dict[str, Any]], Any]]
           ) -> Callable[[dict[str, Any]], list[tuple[Any, Any]]]:
    """Endpoints of one relationship per row; a None end (an optional reference) means none."""
    def endpoints(row: dict[str, Any]) -> list[tuple[Any, Any]]:
        out = [(start(row), end(row)) for start, end in pairs]
        return [(a, b) for a, b in out if a is not None and b is not None]
    return endpoints


def _k(row: dict[str, Any]) -> Any:
    return row["k"]


def _p(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row["p"][name]


def _award_persons(row: dict[str, Any]) -> list[tuple[Any, Any]]:
    # awards.cypher: one TO_PERSON per listed id (a repeated id gives two relationships, as there).
    return [(row["k"], pid) for pid in row["p"]["person_ids"] or []]


def _violation_subject(kind: str) -> Callable[[dict[str, Any]], list[tuple[Any, Any]]]:
    return lambda row: [(row["k"], row["p"]["subject_id"])] if row["p"]["subject_type"] == kind else []


def _record(rel_type: str, label: str) -> list[tuple[str, str, str, Callable[[dict[str, Any]], list[tuple[Any, Any]]]]]:
    # Person -[:HAS_X]-> record -[:AT]-> Org, as in registrations/employments/social_insurance.cypher.
    return [(rel_type, "Person", label, _pairs((_p("person_id"), _k))), ("AT", label, "Org", _pairs((_k, _p("unit_id"))))]


# Per file: (type, start ID space, end ID space, endpoints of the row's relationships of that type).
_LINKS: dict[str, list[tuple[str, str, str, Callable[[dict[str, Any]], list[tuple[Any, Any]]]]]] = {
    "persons": [],
    "registrations": _record("HAS_REGISTRATION", "Registration"),
    "employments": _record("HAS_EMPLOYMENT", "Employment"),
    "social_insurance": _record("HAS_INSURANCE", "Insurance"),
    "experts": [("IS_EXPERT", "Person", "Expert", _pairs((_p("person_id"), _k)))],
    "projects": [("LED_BY", "Project", "Org", _pairs((_k, _p("lead_unit_id"))))],
    "applications": [("BY", "Application", "Org", _pairs((_k, _p("unit_id"))))],
    "awards": [("FOR_PROJECT", "Award", "Project", _pairs((_k, _p("project_id")))),
               ("TO_UNIT", "Award", "Org", _pairs((_k, _p("unit_id")))),
               ("TO_PERSON", "Award", "Person", _award_persons)],
    "violations": [("AGAINST", "Violation", "Person", _violation_subject("个人")),
                   ("AGAINST", "Violation", "Org", _violation_subject("单位"))],
    "reorganizations": [("FROM", "Reorganization", "Org", _pairs((_k, _p("from_unit_id")))),
                        ("TO", "Reorganization", "Org", _pairs((_k, _p("to_unit_id"))))],
}


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
            _bulk_load(driver, settings, server, root, sources, folder, report, timings, began, progress)
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
                                       error=f"{type(exc).__name__}: {exc}"[:2000]))
    except Exception:  # noqa: BLE001 - the load's own error is the one to raise
        pass


def _bulk_load(driver: Driver, settings: Settings, server: ManagedNeo4j, root: Path, sources: list[Source],
               folder: Path, report: BulkReport, timings: BulkTimings, began: float, progress: bool) -> None:
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
            _read_all(sources, image, errors, report, settings, progress)
        finally:
            errors.close()
        report.error_count, report.errors = errors.count, errors.kept
        args = image.close()
        timings.validate_and_write_csv = time.monotonic() - began
        mark = time.monotonic()
        log = staging / "import.log"
        done = server.import_full(staging, [*args, f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
                                            f"--report-file={staging / 'import.report'}",
                                            f"--threads={os.cpu_count() or 2}", settings.neo4j_database], log)
        timings.importer = time.monotonic() - mark
        if done.returncode != 0:
            tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-12:])
            raise BulkImportError(f"Neo4j's importer failed (exit {done.returncode}); the graph is unchanged. "
                                  f"Last lines of its output:\n{tail}")
        # Nothing may have been written since the first check: the swap would drop it.
        check_bulk_possible(driver, settings)
        earlier = [r["p"] for r in driver.execute_query(CYPHER.load("earlier_loads"), load_id=report.load_id,
                                                         database_=settings.neo4j_database).records]
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


def _read_all(sources: list[Source], image: StoreImage, errors: ErrorReport, report: LoadReport,
              settings: Settings, progress: bool) -> None:
    """Validate every file as the transactional loader does and write the accepted rows to ``image``."""
    known = Known()

    def lookup(kind: str, ids: list[str]) -> set[str]:
        return set()  # the graph holds no data (checked): a reference resolves within this load or not at all

    bar = Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   disable=not progress, transient=False, console=Console(stderr=True))
    with bar:
        for source in sources:
            file_report = FileReport(source.file, encoding=source.encoding, ignored_columns=source.ignored)
            report.per_file[source.spec.name] = file_report
            task = bar.add_task(source.file, total=source.estimated_rows or None)
            started = time.monotonic()
            validator = Validator(source, known, lookup)
            for chunk in batched(source.rows(), settings.batch_size):
                checked = validator.check(chunk)
                for error in checked.errors:
                    errors.add(error)
                file_report.rows += len(chunk)
                file_report.loaded += len(checked.rows)
                file_report.rejected += checked.rejected
                image.add_orgs(source.file, checked.orgs)
                image.add_rows(source.spec.name, source.file,
                               [to_row(source.spec.name, line, values) for line, values in checked.rows])
                bar.update(task, advance=len(chunk))
            file_report.seconds = round(time.monotonic() - started, 3)
            bar.update(task, total=file_report.rows, completed=file_report.rows)
    report.rows = sum(f.rows for f in report.per_file.values())
    report.loaded = sum(f.loaded for f in report.per_file.values())
    report.rejected = sum(f.rejected for f in report.per_file.values())
    report.exit_code = 3 if report.rejected else 0


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


__all__ = ["BulkImportError", "BulkReport", "BulkUnavailable", "StoreImage", "bulk_load", "bulk_wanted", "check_bulk_possible",
           "require_managed"]
