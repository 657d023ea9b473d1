"""Snapshot loads (`plantalent ingest DIR --snapshot`, DESIGN.md "Data lifecycle").

Every file present is the complete current extract of its kind: records of that kind that an earlier
load brought and that the file no longer holds are **retired** (ingest/history.py: they leave their
kind's labels and relationship types as graph/records.py withdraws a record, so ``stats``, the rules,
credit and portraits stop counting them, and stay as history: ``withdrawn = 'retired'`` with
``withdrawn_at`` / ``withdrawn_by``, when and by which load they were retired). Files absent are left as they are.

1. ``plan`` (before anything is written): the key of every row of every file (rows whose key columns
   are bad name no record) against the current records of the kind in the graph. A kind would lose more
   than ``settings.snapshot_max_retire_share`` (20%) of its records: ``MassRetire``, nothing written,
   unless ``allow_mass_retire``. A row rejected later for another reason still protects its record.
2. the rows are loaded as by any load;
3. ``retire``, kinds in reverse load order (records before the units, persons, projects and applications
   they refer to): a file whose every row was rejected retires nothing (a wholly bad file is not
   "everything withdrawn") and the load says so; a person, project or application that current records
   still refer to is kept (counted as ``kept``); a unit they still refer to stops being a unit and stays
   as an external organisation, its unit values kept as a retired version.

A load killed at any point is finished by the next run: it plans again from the graph as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from neo4j import Driver, ManagedTransaction

from graph.cypher import CypherFiles
from graph.db import batched
from graph.errors import InvalidInput
from graph.records import PROVENANCE, RETIRED, withdraw
from graph.settings import Settings
from ingest.readers import Source
from ingest.schemas import LOAD_ORDER, SPEC_BY_NAME
from ingest.validate import Known, Validator
from ingest.writers import record_key

CYPHER = CypherFiles(__file__, "snapshot")


class MassRetire(InvalidInput):
    """A snapshot would retire more than the allowed share of a kind (exit 2: nothing written)."""


@dataclass
class KindPlan:
    """One file of a snapshot: rows read, rows that name a record, the records of its kind in the graph
    and those the file no longer holds (element id, record key)."""

    kind: str
    file: str
    rows: int = 0
    identified: int = 0
    current: int = 0
    absent: list[tuple[str, str]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return len(self.absent) / self.current if self.current else 0.0

    @property
    def unreadable(self) -> bool:
        """Rows, but none naming a record: the file is wholly bad and retires nothing."""
        return self.rows > 0 and self.identified == 0


def _no_lookup(kind: str, ids: list[str]) -> set[str]:
    raise AssertionError("a snapshot plan reads keys only")


def plan(driver: Driver, settings: Settings, sources: list[Source]) -> dict[str, KindPlan]:
    """What a snapshot of ``sources`` would retire, per kind (nothing is written)."""
    plans: dict[str, KindPlan] = {}
    for source in sources:
        kind = source.spec.name
        validator = Validator(source, Known(), _no_lookup)
        present: set[str] = set()
        p = KindPlan(kind, source.file)
        for _, cells in source.rows():
            p.rows += 1
            values = validator.key_of(cells)
            if values is not None:
                present.add(record_key(kind, values))
        p.identified = len(present)
        with driver.session(database=settings.neo4j_database) as session:
            for rec in session.run(CYPHER.load(f"current_{kind}")):
                p.current += 1
                if rec["key"] not in present:
                    p.absent.append((rec["eid"], rec["key"]))
        plans[kind] = p
    return plans


def check(plans: dict[str, KindPlan], settings: Settings, allow_mass_retire: bool) -> None:
    """MassRetire naming every kind that would lose more than the allowed share of its records."""
    limit = settings.snapshot_max_retire_share
    over = [p for p in plans.values() if not p.unreadable and p.share > limit]
    if over and not allow_mass_retire:
        what = "; ".join(f"{p.file}: {len(p.absent)} of {p.current} {p.kind} ({p.share:.0%})" for p in over)
        raise MassRetire(f"the snapshot would retire more than {limit:.0%} of a kind ({what}); nothing was written. "
                         "Check the files, or pass --allow-mass-retire if they really are complete")


@dataclass
class Retired:
    """What ``retire`` did for one kind."""

    retired: int = 0
    kept: int = 0
    note: str | None = None
    # persons of the retired records (what a refresh after the load looks at again)
    persons: set[str] = field(default_factory=set)


def _referenced(tx: ManagedTransaction, eids: list[str], own: tuple[str, ...]) -> set[str]:
    return {r["eid"] for r in tx.run(CYPHER.load("referenced"), eids=eids, own=list(own)) if r["referenced"]}


def _unit_fields() -> tuple[list[str], list[str]]:
    """The units row's property names (with provenance) and those only a unit has (not an external org)."""
    keep = [c.name for c in SPEC_BY_NAME["units"].columns] + ["region", "phone_norm", "email_norm"]
    strip = [k for k in keep if k not in ("unit_id", "name", "unit_type")]
    return keep + list(PROVENANCE), strip


# Records other records refer to: retired only when no current record does (a unit is demoted instead),
# and the relationship types they write themselves (their own links, not references to them).
ENTITIES: dict[str, tuple[str, ...]] = {"units": ("OWNED_BY",), "persons": (), "projects": ("LED_BY",),
                                        "applications": ("BY",)}


def _record_id(kind: str, key: str) -> str:
    """graph.records' record_id of a record of ``kind`` with the key ``record_key`` gives: the same, but for
    a membership, which graph.records names person|project|role."""
    if kind == "project_members":
        project_id, person_id, role = key.rsplit("|", 2)
        return f"{person_id}|{project_id}|{role}"
    return key


def retire_kind(tx: ManagedTransaction, kind: str, records: list[tuple[str, str]], load_id: str,
                at: datetime) -> Retired:
    """Retire ``records`` (absent from the snapshot) of ``kind`` in one transaction."""
    done = Retired()
    if kind in ENTITIES:
        still = _referenced(tx, [eid for eid, _ in records], ENTITIES[kind])
        if still and kind == "units":
            keep, strip = _unit_fields()
            rec = tx.run(CYPHER.load("demote_units"), eids=sorted(still), keep=keep, strip=strip, by=load_id,
                         at=at).single()
            done.retired += int(rec["demoted"]) if rec else 0
        elif still:
            done.kept += len(still)
        records = [r for r in records if r[0] not in still]
    if records:
        n, persons = withdraw(tx, kind, [(eid, _record_id(kind, key)) for eid, key in records], reason=RETIRED,
                              by=load_id, at=at)
        done.retired += n
        done.persons.update(persons)
    return done


def retire(driver: Driver, settings: Settings, plans: dict[str, KindPlan], accepted: Callable[[str], int],
           load_id: str) -> dict[str, Retired]:
    """Retire what the plans found absent, kinds in reverse load order; ``accepted(kind)`` is how many rows
    of the kind's file the load accepted (0 of several: the file was wholly bad, nothing is retired)."""
    at = datetime.now(UTC)
    out: dict[str, Retired] = {}
    for kind in reversed(LOAD_ORDER):
        p = plans.get(kind)
        if p is None:
            continue
        result = out[kind] = Retired()
        if p.unreadable or (p.rows and not accepted(kind)):
            result.note = (f"every row of {p.file} was rejected: no {kind} record retired "
                           f"(整个文件被拒绝，未退役任何记录)")
            continue
        with driver.session(database=settings.neo4j_database) as session:
            for chunk in batched(p.absent, settings.batch_size):
                part = session.execute_write(retire_kind, kind, chunk, load_id, at)
                result.retired += part.retired
                result.kept += part.kept
                result.persons |= part.persons
        if result.kept:
            result.note = (f"{result.kept} {kind} absent from {p.file} kept: current records still refer to them "
                           f"(仍被引用，未退役)")
    return out
