"""The first stage of a bulk load: read and check every input file, write the importer's CSV files.

What a row gives does not depend on the other files, except through what they make known: the persons,
projects and applications a reference may name, and (for ``org_known`` columns) the organisations. So
each file but units.csv is checked on its own (`read_file`), in a pool of worker processes, as soon as
the files whose ids its references need are done (persons.csv for a file naming persons, ...): it
writes its own CSV files and returns its counts, error lines, the ids it adds and the organisations its
rows name. Those results are then taken in load order, exactly as one process reading the files one
after the other would have: error lines in order, external organisations created by replaying the
mentions through the same rule (`note_org`), chunk by chunk. The outcome is identical whatever the
number of workers (1: every file in this process).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.db import batched
from ingest.errors import ErrorReport, IngestError
from ingest.image import FileImage, Fixups, ImportFile, StoreImage
from ingest.loader import FileReport, LoadReport
from ingest.readers import Source, files_progress
from ingest.validate import FileMentions, Known, Mention, Validator, note_org
from ingest.writers import to_row

# The file that makes the ids of each kind of reference known (organisations: units.csv and every file
# naming one, see _ready).
PROVIDER = {"person": "persons", "project": "projects", "application": "applications"}
# Reference column kind -> the kind of id it names.
_REF_KIND = {"person": "person", "persons": "person", "subject": "person", "project": "project",
             "application": "application", "org_known": "org"}


@dataclass
class FileJob:
    """One input file to read and check: the ids its references may name (kind -> ids), where its CSV
    files go, the load's provenance, the batch size (the chunks organisations are created by)."""

    source: Source
    known: dict[str, set[str]]
    folder: Path
    load_id: str
    loaded_at: str
    batch_size: int


@dataclass
class FileResult:
    """What checking one file gave (see the module docstring)."""

    name: str
    report: FileReport
    errors: list[IngestError] = field(default_factory=list)
    # (chunk number, the organisation mentions of its accepted rows that may change something)
    mentions: list[tuple[int, list[Mention]]] = field(default_factory=list)
    # The ids the file makes known (persons.csv: person ids, ...).
    adds: dict[str, set[str]] = field(default_factory=dict)
    nodes: list[ImportFile] = field(default_factory=list)
    rels: list[ImportFile] = field(default_factory=list)
    fixups: Fixups = field(default_factory=dict)


# The cyclic garbage collector's first threshold while files are read (Python's default: 700).
_GEN0 = 100_000


@contextmanager
def few_collections() -> Iterator[None]:
    """Hardly any cyclic garbage collections while files are read, which cut reading time by a third.

    A row's cells, values and CSV fields are acyclic and freed by reference counting; but each batch's
    containers, held a while, set off full collections every few batches, and each one traverses the
    long-lived sets of known ids (hundreds of thousands of entries nationally). What exists when reading
    starts is frozen (never traversed) and collections are rarer. A nested use (a worker's file within
    `read_all`) freezes what is new since and leaves the rest to the outermost one.
    """
    before = gc.get_threshold()
    gc.freeze()
    if before[0] == _GEN0:
        yield
        return
    gc.set_threshold(_GEN0, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def needs(source: Source) -> set[str]:
    """The kinds of id the file's references name."""
    return {_REF_KIND[c.kind] for c in source.spec.columns if c.kind in _REF_KIND}


def read_file(job: FileJob) -> FileResult:
    """Read and check one file (not units.csv) and write its CSV files; runs in a worker process."""
    with few_collections():  # the job's sets of known ids, just received, are frozen
        return _read_file(job)


def _read_file(job: FileJob) -> FileResult:
    started = time.monotonic()
    source, name = job.source, job.source.spec.name
    known = Known()
    for kind, ids in job.known.items():
        known.ids[kind] = ids
    validator = Validator(source, known, None, defer_orgs=True)
    image = FileImage(job.folder, name, source.file, job.load_id, job.loaded_at)
    result = FileResult(name, FileReport(source.file, encoding=source.encoding, ignored_columns=source.ignored))
    report, kept = result.report, FileMentions()
    for n, chunk in enumerate(batched(source.rows(), job.batch_size)):
        checked = validator.check(chunk)
        result.errors += checked.errors
        report.rows += len(chunk)
        report.loaded += len(checked.rows)
        report.rejected += checked.rejected
        if mentions := kept.keep(checked.mentions):
            result.mentions.append((n, mentions))
        image.add_rows([to_row(name, line, values) for line, values in checked.rows])
    result.nodes, result.rels = image.close()
    result.fixups = image.fixups
    result.adds = {kind: known.ids[kind] for kind, provider in PROVIDER.items() if provider == name}
    report.seconds = round(time.monotonic() - started, 3)
    return result


class _InProcess(Executor):
    """Runs each job at once in this process (one worker)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed over as a pool would, raised where it is taken
            future.set_exception(exc)
        return future


def workers_of(setting: int) -> int:
    """The number of reading processes: the setting, 0 meaning one per CPU core."""
    return setting or os.cpu_count() or 1


def read_all(sources: list[Source], image: StoreImage, errors: ErrorReport, report: LoadReport, batch_size: int,
             workers: int, progress: bool) -> None:
    """Check every file, write the accepted rows to ``image`` and the rejected ones to ``errors``; fill in
    ``report``. ``workers`` > 1: that many processes check files side by side (see the module docstring)."""
    known = Known()
    order = [s.spec.name for s in sources]
    bar = files_progress(progress)
    tasks = {s.spec.name: bar.add_task(s.file, total=s.estimated_rows or None) for s in sources}
    pending = [s for s in sources if s.spec.name != "units"]
    futures: dict[str, Future[FileResult]] = {}
    merged = 0  # files of ``order`` taken so far

    def done(name: str) -> bool:
        future = futures.get(name)
        return future is not None and future.done() and future.exception() is None

    def ready(source: Source) -> bool:
        at = order.index(source.spec.name)
        for kind in needs(source):
            if kind == "org":  # every earlier file may have named one: all of them taken first
                if merged < at:
                    return False
            elif (provider := PROVIDER[kind]) in order[:at] and not done(provider):
                return False
        return True

    def job(source: Source) -> FileJob:
        at = order.index(source.spec.name)
        ids: dict[str, set[str]] = {}
        for kind in needs(source):
            if kind == "org":  # a copy: the pool sends it while later files add organisations
                ids[kind] = set(known.ids["org"])
            elif (provider := PROVIDER[kind]) in order[:at]:
                ids[kind] = futures[provider].result().adds[kind]
            else:
                ids[kind] = set()
        return FileJob(source, ids, image.folder, image.load_id, image.loaded_at, batch_size)

    def take(result: FileResult) -> None:
        file = sources[order.index(result.name)].file
        report.per_file[result.name] = result.report
        for error in result.errors:
            errors.add(error)
        chunks = dict(result.mentions)
        for n in sorted(chunks):
            new_orgs: dict[str, dict[str, Any]] = {}
            for mention in chunks[n]:
                note_org(known, new_orgs, mention)
            image.add_orgs(file, list(new_orgs.values()))
        for kind, ids in result.adds.items():
            for key in ids:
                known.add(kind, key)
        image.add_file(result.nodes, result.rels, result.fixups)
        bar.update(tasks[result.name], total=result.report.rows, completed=result.report.rows)

    pool: Executor = (ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
                      if workers > 1 and len(pending) > 1 else _InProcess())
    try:
        with bar, few_collections():
            if order and order[0] == "units":
                _read_units(sources[0], known, image, errors, report, batch_size)
                rows = report.per_file["units"].rows
                bar.update(tasks["units"], total=rows, completed=rows)
                merged = 1
            while merged < len(order):
                running = [f for f in futures.values() if not f.done()]
                # Biggest ready file first: the long ones (project_members.csv) start as early as they can.
                for source in sorted((s for s in pending if ready(s)), key=lambda s: -s.estimated_rows):
                    if len(running) >= workers:
                        break
                    pending.remove(source)
                    futures[source.spec.name] = pool.submit(read_file, job(source))
                    running.append(futures[source.spec.name])
                taken = merged
                while merged < len(order) and order[merged] in futures and futures[order[merged]].done():
                    take(futures[order[merged]].result())  # raises a failed file's error, in load order
                    merged += 1
                if merged > taken:
                    continue
                if running := [f for f in futures.values() if not f.done()]:
                    wait(running, return_when=FIRST_COMPLETED)
                elif not any(ready(s) for s in pending):
                    raise AssertionError(f"bulk read: no file can start ({[s.file for s in pending]})")
    except BaseException:
        # Files being read finish on their own (their output is cleared with the staging folder).
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    report.rows = sum(f.rows for f in report.per_file.values())
    report.loaded = sum(f.loaded for f in report.per_file.values())
    report.rejected = sum(f.rejected for f in report.per_file.values())
    report.exit_code = 3 if report.rejected else 0


def _read_units(source: Source, known: Known, image: StoreImage, errors: ErrorReport, report: LoadReport,
                batch_size: int) -> None:
    """units.csv, in this process: its rows make the organisations every later file may name."""
    started = time.monotonic()
    file_report = FileReport(source.file, encoding=source.encoding, ignored_columns=source.ignored)
    report.per_file[source.spec.name] = file_report
    validator = Validator(source, known, None)
    for chunk in batched(source.rows(), batch_size):
        checked = validator.check(chunk)
        for error in checked.errors:
            errors.add(error)
        file_report.rows += len(chunk)
        file_report.loaded += len(checked.rows)
        file_report.rejected += checked.rejected
        image.add_orgs(source.file, checked.orgs)
        image.add_units(source.file, [to_row("units", line, values) for line, values in checked.rows])
    file_report.seconds = round(time.monotonic() - started, 3)
