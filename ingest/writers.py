"""Batched, idempotent writes: validated rows -> `UNWIND $rows MERGE ...` (ingest/writers/*.cypher).

One write transaction per batch holds the batch's new external orgs and its rows, so a batch is
either fully in the graph or not at all (an interrupted load re-run to the end gives the same
graph). Background threads write while the main thread parses and validates the next batch (see BatchWriter:
two at a time for a file whose batches are independent).
"""

from __future__ import annotations

import hashlib
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from neo4j import Driver, ManagedTransaction, Session
from neo4j.exceptions import ClientError, DatabaseError, Neo4jError

from graph.cypher import CypherFiles
from graph.errors import Unavailable
from graph.records import PROVENANCE
from graph.settings import Settings
from ingest.normalize import norm_email, norm_phone, region_of
from ingest.schemas import SPEC_BY_NAME

CYPHER = CypherFiles(__file__, "writers")


def row_hash(values: Any) -> str:
    """A short stable hash of a row's normalised content (dates/lists/None included)."""
    return _digest(repr(values))


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _content(file_name: str, head: list[tuple[str, Any]], p: dict[str, Any]) -> str:
    """``repr((file_name, head, list(p.items())))``, the text of a row's hash, put together from the reprs of
    its values as the tuple and list reprs do: the same text at half the cost (the generic container repr
    guards each of a row's dozen containers against recursion)."""
    return (f"({file_name!r}, [" + ", ".join([f"({k!r}, {v!r})" for k, v in head]) + "], ["
            + ", ".join([f"({k!r}, {v!r})" for k, v in p.items()]) + "])")


def _key(*parts: Any) -> str:
    return "|".join([p if type(p) is str else "" if p is None else p.isoformat() if isinstance(p, date) else str(p)
                     for p in parts])


def record_key(file_name: str, values: dict[str, Any]) -> str:
    """The stable key of a record: its key columns (DESIGN.md, in ingest.schemas order) joined by ``|``,
    dates in ISO form. It is the key property of a record node (``emp_id``, ``reg_id``, ...) and names a
    relationship record (``project_id|person_id|role``) in the journal and history."""
    return _key(*(values[k] for k in SPEC_BY_NAME[file_name].key))


def to_row(file_name: str, line: int, values: dict[str, Any]) -> dict[str, Any]:
    """The parameter row of ``ingest/writers/<file_name>.cypher`` for one validated input row."""
    p = dict(values)
    row: dict[str, Any] = {"line": line}
    if file_name == "units":
        row["k"] = p["unit_id"]
        p["region"] = region_of(p["province"])
        p["phone_norm"], p["email_norm"] = norm_phone(p["phone"]), norm_email(p["email"])
    elif file_name == "persons":
        row["k"] = p["person_id"]
        p["phone_norm"], p["email_norm"] = norm_phone(p["phone"]), norm_email(p["email"])
    elif file_name == "registrations":
        row["k"] = p["reg_id"] = _key(p["cert_no"], p["unit_id"], p["valid_from"])
    elif file_name == "employments":
        row["k"] = p["emp_id"] = _key(p["person_id"], p["unit_id"], p["start_date"])
    elif file_name == "social_insurance":
        row["k"] = p["ins_id"] = _key(p["person_id"], p["unit_id"], p["start_month"])
    elif file_name == "experts":
        row["k"] = p["expert_id"]
    elif file_name == "projects":
        row["k"] = p["project_id"]
    elif file_name == "project_members":
        row.update(project_id=p.pop("project_id"), person_id=p.pop("person_id"), role=p["role"])
    elif file_name == "applications":
        row["k"] = p["application_id"]
    elif file_name == "application_staff":
        row.update(application_id=p.pop("application_id"), person_id=p.pop("person_id"))
    elif file_name == "awards":
        row["k"] = p["award_id"]
    elif file_name == "violations":
        row["k"] = p["violation_id"]
    elif file_name == "reorganizations":
        row["k"] = p["reorg_id"] = _key(p["from_unit_id"], p["to_unit_id"], p["date"], p["kind"])
    else:
        raise KeyError(file_name)
    # The hash covers the content, never the line: a row that only moved in the file is unchanged.
    row["h"] = _digest(_content(file_name, list(row.items())[1:], p))  # every item but the first, the line
    row["p"] = p
    return row


def org_row(org: dict[str, Any]) -> dict[str, Any]:
    """The parameter row of ``ingest/writers/orgs.cypher`` for one external organisation."""
    return {**org, "h": row_hash(("external", org["unit_id"], org["name"], org["unit_type"]))}


# Files with a fast path: ingest/writers/new_<file>.cypher CREATEs (no MERGE, no Eager) what is not in the
# graph yet. The value names the row keys identifying a relationship (None: a record node keyed by row["k"]).
FAST_PATH: dict[str, tuple[str, ...] | None] = {
    "persons": None, "registrations": None, "employments": None, "social_insurance": None, "projects": None,
    "project_members": ("person_id", "project_id", "role"), "application_staff": ("application_id", "person_id"),
}
# Relationship records: their row keys (every other file is a node keyed by row["k"]).
REL_KEYS: dict[str, tuple[str, ...]] = {
    "project_members": ("person_id", "project_id", "role"), "application_staff": ("application_id", "person_id"),
}


@dataclass(frozen=True, slots=True)
class Stored:
    """What the graph holds for one row's key: found, its row_hash, its element id (node or
    relationship) and, for a relationship record, the person it belongs to."""

    found: bool
    h: str | None = None
    eid: str | None = None
    owner: str | None = None


@dataclass
class BatchResult:
    """What one batch did: rows created, changed (their old values kept as versions), unchanged, and
    rows Neo4j refused (row, reason) — these were not written."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    refused: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    # the persons whose records the batch created or changed (what a refresh looks at again)
    persons: set[str] = field(default_factory=set)
    # the projects it created or changed (tagging reads a project's fields for each of its members)
    projects: set[str] = field(default_factory=set)

    def add(self, other: BatchResult) -> None:
        self.new += other.new
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.refused.extend(other.refused)
        self.persons |= other.persons
        self.projects |= other.projects


def persons_of(file_name: str, row: dict[str, Any]) -> list[str]:
    """The persons a written row is about (none for units, projects, applications, reorganizations)."""
    p = row["p"]
    if file_name == "persons":
        return [row["k"]]
    if file_name in ("registrations", "employments", "social_insurance", "experts"):
        return [p["person_id"]]
    if file_name in ("project_members", "application_staff"):
        return [row["person_id"]]
    if file_name == "awards":
        return list(p.get("person_ids") or [])
    if file_name == "violations" and p.get("subject_type") == "个人":
        return [p["subject_id"]]
    return []


def _projects(file_name: str, rows: list[dict[str, Any]]) -> set[str]:
    return {row["k"] for row in rows} if file_name == "projects" else set()


def _stored(tx: ManagedTransaction, file_name: str, rows: list[dict[str, Any]]) -> list[Stored]:
    """Per row: what the graph holds for its key (ingest/writers/hash_<file>.cypher). The hashes are
    compared in Neo4j, which returns only the rows whose record is missing or holds another hash: a row
    not returned holds its own hash (found, unchanged; its element id is never needed)."""
    query = CYPHER.load(f"hash_{file_name}")
    rel_keys = REL_KEYS.get(file_name)
    if rel_keys is None:
        pairs = list(dict.fromkeys((row["k"], row["h"]) for row in rows))
        found = {(r["k"], r["sent"]): Stored(r["found"], r["h"], r["eid"])
                 for r in tx.run(query, keys=[{"k": k, "h": h} for k, h in pairs])}
        return [found.get((row["k"], row["h"])) or Stored(True, row["h"]) for row in rows]
    params = [{"i": i, "h": row["h"], **{k: row[k] for k in rel_keys}} for i, row in enumerate(rows)]
    stored = {r["i"]: Stored(r["found"], r["h"], r["eid"], r["owner"]) for r in tx.run(query, keys=params)}
    return [stored.get(i) or Stored(True, row["h"]) for i, row in enumerate(rows)]


def partition(rows: list[dict[str, Any]], stored: list[tuple[bool, str | None]],
              rel_keys: tuple[str, ...] | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Split a batch into (new, changed) rows; unchanged rows are dropped.

    Walks the rows in file order as the MERGE statement would: the first row of a key that is not in
    the graph is new (plain CREATE); a later row of the same key, or a row whose stored hash differs,
    goes to the MERGE/replace statement, which runs after the CREATE so the last row still wins.
    """
    state: dict[Any, tuple[bool, str | None]] = {}
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for row, db in zip(rows, stored, strict=True):
        key = row["k"] if rel_keys is None else tuple(row[k] for k in rel_keys)
        found, h = state.get(key, db)
        if found and h == row["h"]:
            continue
        (changed if found else new).append(row)
        state[key] = (True, row["h"])
    return new, changed


def keep_versions(tx: ManagedTransaction, file_name: str, rows: list[dict[str, Any]], stored: list[Stored],
                  params: dict[str, Any]) -> None:
    """Keep the graph's values of the records ``rows`` are about to change as :Version nodes."""
    keep = [*rows[0]["p"], *PROVENANCE]
    rel_keys = REL_KEYS.get(file_name)
    if rel_keys is None:
        items = [{"eid": s.eid} for s in stored if s.eid]
        tx.run(CYPHER.load("version_nodes"), items=items, keep=keep, kind=file_name, **params).consume()
        return
    rels: list[dict[str, Any]] = [{"eid": s.eid, "owner": s.owner, "key": {k: row[k] for k in rel_keys}}
                                  for row, s in zip(rows, stored, strict=True) if s.eid]
    tx.run(CYPHER.load("version_rels"), items=rels, keep=keep, kind=file_name, **params).consume()


def write_batch(tx: ManagedTransaction, file_name: str, src_file: str, load_id: str,
                rows: list[dict[str, Any]], orgs: list[dict[str, Any]], fresh: bool = False) -> BatchResult:
    """Write one batch (external orgs first, then the rows) inside one transaction.

    The batch's hashes are first compared with the stored ones, in Neo4j and in the same transaction
    (_stored): unchanged rows are skipped, the values of changed records are kept as versions, new rows
    of the big files (FAST_PATH) are CREATEd and the rest goes through the MERGE/replace statement. ``fresh``: the graph had no
    entity of this file when the file's load began, so (keys being unique within a file) every row is
    new and the hash read is skipped. ``loaded_at`` (provenance) is the batch's write time, one
    parameter for all its rows.
    """
    params: dict[str, Any] = {"load_id": load_id, "loaded_at": datetime.now(UTC)}
    if orgs:
        tx.run(CYPHER.load("orgs"), orgs=orgs, file=src_file, **params).consume()
    if not rows:
        return BatchResult()
    if fresh and file_name in FAST_PATH:
        tx.run(CYPHER.load(f"new_{file_name}"), rows=rows, file=src_file, **params).consume()
        return BatchResult(new=len(rows), persons={pid for row in rows for pid in persons_of(file_name, row)},
                           projects=_projects(file_name, rows))
    stored = _stored(tx, file_name, rows)
    rel_keys = REL_KEYS.get(file_name)
    new, changed = partition(rows, [(s.found, s.h) for s in stored], rel_keys)
    result = BatchResult(new=len(new), changed=len(changed), unchanged=len(rows) - len(new) - len(changed),
                         persons={pid for row in (*new, *changed) for pid in persons_of(file_name, row)},
                         projects=_projects(file_name, [*new, *changed]))
    if changed:
        ids = {id(row) for row in changed}
        keep_versions(tx, file_name, changed, [s for row, s in zip(rows, stored, strict=True) if id(row) in ids],
                      params)
    if file_name in FAST_PATH:
        if new:
            tx.run(CYPHER.load(f"new_{file_name}"), rows=new, file=src_file, **params).consume()
        if changed:
            tx.run(CYPHER.load(file_name), rows=changed, file=src_file, **params).consume()
    elif new or changed:
        todo = {id(row) for row in new} | {id(row) for row in changed}
        tx.run(CYPHER.load(file_name), rows=[row for row in rows if id(row) in todo], file=src_file,
               **params).consume()
    return result


class IngestWriteError(Unavailable):
    """Neo4j failed while writing a batch."""


# Errors that a row's own content can cause (a value Neo4j cannot store or index, a type the driver
# cannot send): the batch is split until the refused rows are found, and only they are rejected.
# Connection losses and transient errors (retried by the driver first) fail the load instead.
ROW_ERRORS = (ClientError, DatabaseError, TypeError, ValueError, OverflowError)


def _refusal(exc: BaseException) -> str:
    if isinstance(exc, Neo4jError):
        text = f"{exc.code}: {exc.message}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return f"Neo4j refused the row ({text.splitlines()[0][:300]}) (数据库拒绝写入该行)"


def write_splitting(session: Session, file_name: str, src_file: str, load_id: str, rows: list[dict[str, Any]],
                    orgs: list[dict[str, Any]], fresh: bool) -> BatchResult:
    """Write a batch; if Neo4j refuses it for its content (ROW_ERRORS), write its halves apart, down to
    the single rows it refuses, which come back in ``refused`` (not written). If every row of a batch
    of several is refused, the cause is not the rows: the error is raised."""

    def attempt(part: list[dict[str, Any]]) -> BatchResult:
        try:
            return session.execute_write(write_batch, file_name, src_file, load_id, part, orgs, fresh)
        except ROW_ERRORS as exc:
            if len(part) <= 1:
                if not part:
                    raise
                return BatchResult(refused=[(part[0], _refusal(exc))])
            mid = len(part) // 2
            result = attempt(part[:mid])
            result.add(attempt(part[mid:]))
            return result

    result = attempt(rows)
    if len(rows) > 1 and len(result.refused) == len(rows):
        raise IngestWriteError(f"Neo4j refused every row of a batch of {src_file}: {result.refused[0][1]}")
    return result


class BatchWriter:
    """Writes batches on background threads; errors surface on the next call.

    With ``settings.ingest_writers`` > 1, consecutive *independent* batches are written by concurrent
    transactions: a batch submitted with ``independent=True`` (the caller's promise that no other batch
    of its file reads or writes what it writes: plain CREATEs of rows with distinct keys, every node it
    links to committed before) runs beside other independent batches. Any other batch is a barrier: it
    starts only once every earlier batch is committed, and later batches start only once it is. A killed
    load may so leave a later batch of a file committed without an earlier one; the resumed load finds
    the file's entities in the graph and writes exactly the missing rows (fast path, stored hashes).
    """

    def __init__(self, driver: Driver, settings: Settings, load_id: str, depth: int = 2) -> None:
        self.driver = driver
        self.settings = settings
        self.load_id = load_id
        self.workers = max(1, settings.ingest_writers)
        self._queue: queue.Queue[tuple[Any, ...] | None] = queue.Queue(maxsize=depth + self.workers - 1)
        self._error: BaseException | None = None
        self._cond = threading.Condition()
        self._seq = 0
        self.committed = 0  # batches written (a failed load that wrote none wrote nothing)
        self._pending: set[int] = set()  # submitted, not yet written (or failed)
        self._barriers: set[int] = set()  # pending batches that are not independent
        self._threads = [threading.Thread(target=self._run, name=f"ingest-writer-{i}", daemon=True)
                         for i in range(self.workers)]
        for thread in self._threads:
            thread.start()

    def _may_start(self, seq: int, barrier: bool) -> bool:
        """Whether batch ``seq`` may be written now (called under the condition's lock)."""
        if self._error is not None:
            return True  # it will be skipped
        if barrier:
            return min(self._pending) == seq
        return not self._barriers or min(self._barriers) >= seq

    def _run(self) -> None:
        with self.driver.session(database=self.settings.neo4j_database) as session:
            while True:
                item = self._queue.get()
                if item is None:
                    self._queue.task_done()
                    return
                seq, barrier, file_name, src_file, rows, orgs, fresh, done = item
                try:
                    with self._cond:
                        self._cond.wait_for(partial(self._may_start, seq, barrier))
                    if self._error is None:
                        result = write_splitting(session, file_name, src_file, self.load_id, rows, orgs, fresh)
                        with self._cond:
                            self.committed += 1
                        if done is not None:
                            done(result)
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                    with self._cond:
                        self._error = self._error or exc
                finally:
                    with self._cond:
                        self._pending.discard(seq)
                        self._barriers.discard(seq)
                        self._cond.notify_all()
                    self._queue.task_done()

    def _raise(self) -> None:
        if self._error is not None:
            raise IngestWriteError(f"writing to Neo4j failed: {self._error}") from self._error

    def submit(self, file_name: str, src_file: str, rows: list[dict[str, Any]], orgs: list[dict[str, Any]],
               done: Callable[[BatchResult], None] | None = None, fresh: bool = False,
               independent: bool = False) -> None:
        """Queue one batch (blocks while the writers are behind); ``fresh`` as in write_batch. ``done``
        gets the batch's BatchResult on the writer thread once it is committed.

        ``independent``: the batch may be written concurrently with other independent batches (see the
        class); only honoured for a ``fresh`` fast-path batch without new external orgs.
        """
        self._raise()
        if not (rows or orgs):
            return
        barrier = not (independent and fresh and file_name in FAST_PATH and not orgs)
        with self._cond:
            seq = self._seq = self._seq + 1
            self._pending.add(seq)
            if barrier:
                self._barriers.add(seq)
        self._queue.put((seq, barrier, file_name, src_file, rows, orgs, fresh, done))

    def flush(self) -> None:
        """Wait until every queued batch is written."""
        self._queue.join()
        self._raise()

    def close(self) -> None:
        """Stop the writer threads (idempotent)."""
        for thread in self._threads:
            if thread.is_alive():
                self._queue.put(None)
        for thread in self._threads:
            thread.join()
