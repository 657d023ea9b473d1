"""A person's records (registration, employment, insurance period, project membership) by a stable
``record_key``, and setting one aside so that it stops counting while staying in the graph as history.

Setting aside moves the record out of what every rule, credit query and portrait matches, so none of
them needs to know about it (docs/graph-model.md, "Records that no longer count"): a record node
loses its kind label (``Registration`` / ``Employment`` / ``Insurance``) for ``Withdrawn`` and its
``HAS_…`` and ``AT`` relationships become ``HAD`` and ``WAS_AT``; a membership's ``MEMBER_OF``
becomes ``WAS_MEMBER_OF``. Each keeps its properties and gains ``withdrawn`` (why: ``set_aside`` for
an upheld dispute; issue 15's snapshot loads use ``retired``), ``withdrawn_at``, ``withdrawn_by``
and ``record_id`` (its key). A load that brings the record again unchanged leaves it aside; a load
that brings it corrected (another row hash) makes a new current record (ingest's stored-hash reads
look at set-aside records too).

``record_key`` never holds a person's ID number, so masked views may carry it: a registration's
``reg_id`` (certificate|unit|from), an employment's ``unit|start_date``, an insurance period's
``unit|start_month``, a membership's ``project_id|role``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from neo4j import ManagedTransaction

from graph.cypher import CypherFiles

CYPHER = CypherFiles(__file__, "records")


@dataclass(frozen=True)
class Kind:
    """How one kind of record sits in the graph."""

    label: str           # the node label ("" for a relationship record)
    rel: str             # Person -[rel]-> record (or -> Project for a membership)
    key: str             # the node's key property


KINDS: dict[str, Kind] = {
    "registration": Kind("Registration", "HAS_REGISTRATION", "reg_id"),
    "employment": Kind("Employment", "HAS_EMPLOYMENT", "emp_id"),
    "insurance": Kind("Insurance", "HAS_INSURANCE", "ins_id"),
    "membership": Kind("", "MEMBER_OF", ""),
}
SET_ASIDE = "set_aside"
RETIRED = "retired"


@dataclass(frozen=True)
class Loaded:
    """How the records of one input file sit in the graph: the name a withdrawn one is kept under
    (``kind``), the labels of its nodes, or the type of its relationships (a relationship record)."""

    kind: str
    key: tuple[str, ...]
    labels: tuple[str, ...] = ()
    rel: str = ""


# Every kind of loaded record, by its input file (DESIGN.md "Input files").
LOADED: dict[str, Loaded] = {
    "units": Loaded("unit", ("unit_id",), ("Org", "Unit")),
    "persons": Loaded("person", ("person_id",), ("Person",)),
    "registrations": Loaded("registration", ("cert_no", "unit_id", "valid_from"), ("Registration",)),
    "employments": Loaded("employment", ("person_id", "unit_id", "start_date"), ("Employment",)),
    "social_insurance": Loaded("insurance", ("person_id", "unit_id", "start_month"), ("Insurance",)),
    "experts": Loaded("expert", ("expert_id",), ("Expert",)),
    "projects": Loaded("project", ("project_id",), ("Project",)),
    "project_members": Loaded("membership", ("project_id", "person_id", "role"), rel="MEMBER_OF"),
    "applications": Loaded("application", ("application_id",), ("Application",)),
    "application_staff": Loaded("declaration", ("application_id", "person_id"), rel="DECLARES"),
    "awards": Loaded("award", ("award_id",), ("Award",)),
    "violations": Loaded("violation", ("violation_id",), ("Violation",)),
    "reorganizations": Loaded("reorganization", ("from_unit_id", "to_unit_id", "date", "kind"), ("Reorganization",)),
}


def record_id(kind: str, person_id: str, key: str) -> str:
    """The graph key of a person's record from its ``record_key`` (memberships: person|project|role)."""
    return key if kind == "registration" else f"{person_id}|{key}"


def find_in(tx: ManagedTransaction, kind: str, person_id: str, key: str) -> dict[str, Any] | None:
    """The current record ``key`` of ``kind`` of the person (its properties and unit), or None."""
    k = KINDS.get(kind)
    if k is None:
        return None
    if kind == "membership":
        project_id, _, role = key.partition("|")
        rec = tx.run(CYPHER.load("find_membership"), person_id=person_id, project_id=project_id, role=role).single()
    else:
        rec = tx.run(CYPHER.load("find_node"), person_id=person_id, rel=k.rel, label=k.label, key=k.key,
                     id=record_id(kind, person_id, key)).single()
    return dict(rec["record"]) if rec else None


def set_aside_in(tx: ManagedTransaction, kind: str, person_id: str, key: str, by: str, at: datetime,
                 reason: str = SET_ASIDE) -> bool:
    """Move the person's record out of counting (see the module docstring); False if there is none."""
    k = KINDS[kind]
    if kind == "membership":
        project_id, _, role = key.partition("|")
        rec = tx.run(CYPHER.load("withdraw_membership"), person_id=person_id, project_id=project_id, role=role,
                     reason=reason, by=by, at=at, record_id=record_id(kind, person_id, key)).single()
    else:
        rec = tx.run(CYPHER.load("withdraw_node"), person_id=person_id, rel=k.rel, label=k.label, key=k.key,
                     id=record_id(kind, person_id, key), kind=kind, reason=reason, by=by, at=at).single()
    return bool(rec and rec["n"])


def withdraw(tx: ManagedTransaction, file: str, records: list[tuple[str, str]], *, reason: str, by: str,
             at: datetime) -> tuple[int, list[str]]:
    """Withdraw loaded records of any kind — ``records`` are (element id, record_id): a node, or the
    relationship of a relationship record — as ``set_aside_in`` does for a person's record (the module
    docstring; any other relationship type T a load wrote becomes WAS_T). Returns how many were withdrawn
    and the person ids they named (for the refresh after a load). Withdrawn records are skipped."""
    spec = LOADED[file]
    items = [{"eid": eid, "record_id": rid} for eid, rid in records]
    if spec.rel:
        rec = tx.run(CYPHER.load("withdraw_rels"), items=items, reason=reason, by=by, at=at).single()
    else:
        rec = tx.run(CYPHER.load("withdraw_nodes"), items=items, labels=list(spec.labels), kind=spec.kind,
                     reason=reason, by=by, at=at).single()
    return (int(rec["n"]), list(rec["persons"])) if rec else (0, [])


# ---- history as the portrait and the unit page show it ----------------------------------------

PROVENANCE = ("src_file", "src_line", "load_id", "loaded_at", "row_hash")
# Bookkeeping of versions and withdrawn records, and values derived from the data (tagging, credit).
_NOT_VALUES = frozenset({*PROVENANCE, "kind", "record_kind", "record_id", "withdrawn", "withdrawn_at", "withdrawn_by",
                         "withdrawn_labels", "own_kind", "replaced_by", "replaced_at", "type",
                         "embedding", "embedding_hash", "profile_hash", "profile_text"})


def plain(value: Any) -> Any:
    """Neo4j temporal values as ISO text (lists too); anything else as it is."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, date):
        return value.isoformat()
    return value


def source(props: dict[str, Any]) -> dict[str, Any]:
    """Where a fact came from: the input file and line, the load and when it was written."""
    return {"file": props.get("src_file"), "line": props.get("src_line"), "load_id": props.get("load_id"),
            "loaded_at": plain(props.get("loaded_at"))}


def _values(props: dict[str, Any]) -> dict[str, Any]:
    values = {k: plain(v) for k, v in sorted(props.items()) if k not in _NOT_VALUES and not k.startswith("credit_")}
    if props.get("own_kind") is not None:  # a withdrawn reorganization's own `kind`
        values["kind"] = props["own_kind"]
    return values


def _stamps(out: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    if props.get("replaced_by"):
        out["replaced_by"], out["replaced_at"] = props["replaced_by"], plain(props.get("replaced_at"))
    reason = props.get("withdrawn")
    if reason in (RETIRED, SET_ASIDE):
        out[f"{reason}_by"], out[f"{reason}_at"] = props.get("withdrawn_by"), plain(props.get("withdrawn_at"))
    return out


def version_entry(props: dict[str, Any]) -> dict[str, Any]:
    """A :Version (earlier values of a record): kind, record key, the values, their source, the load that
    replaced them (and, for a unit record a snapshot retired, when and by which load)."""
    spec = LOADED.get(str(props.get("record_kind")))
    key = "|".join("" if props.get(k) is None else str(plain(props[k])) for k in spec.key) if spec else None
    return _stamps({"kind": spec.kind if spec else props.get("record_kind"), "key": key,
                    "state": props.get("withdrawn") or "changed", "values": _values(props), "source": source(props)},
                   props)


def withdrawn_entry(props: dict[str, Any]) -> dict[str, Any]:
    """A withdrawn record (retired by a snapshot or set aside by a dispute): kind, record key, its values,
    their source, and when and by which load or decision it was withdrawn."""
    return _stamps({"kind": props.get("kind"), "key": props.get("record_id"), "state": props.get("withdrawn"),
                    "values": _values(props), "source": source(props)}, props)


def history(versions: list[dict[str, Any]], withdrawn: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """``{"versions": [...], "withdrawn": [...]}`` from the rows of a history query."""
    return {"versions": [version_entry(v) for v in versions], "withdrawn": [withdrawn_entry(w) for w in withdrawn]}
