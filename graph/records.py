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
from datetime import datetime
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
