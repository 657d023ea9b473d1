"""Lookup (DESIGN.md Casework): one search box for persons, units and projects.

What the text is decides which index is asked, so each kind costs one index seek, never a label
scan: an 18-character resident ID -> the Person key; an 18-character code -> the Org key (USCC); a
phone number -> the normalised-phone range indexes of persons and units; a project code -> the
Project key; otherwise names by full text (``cjk`` analyzer): ``person_text``, ``org_text`` and
``project_text`` asked on their ``name`` field only, each term a phrase, all terms required.
Results are then kept to the caller's scope (queries.scope) and cut to ``LIMIT`` per kind, best
first (exact matches before names, names by full-text score).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.cypher import CypherFiles
from graph.db import read
from graph.errors import InvalidInput
from graph.settings import Settings
from ingest.normalize import norm_phone
from queries.scope import Scope, visible_persons, visible_projects, visible_units

CYPHER = CypherFiles(__file__, "lookup")

LIMIT = 20
# Full-text hits read before scope filtering: a provincial user still gets up to LIMIT of its own.
CANDIDATES = 200
MIN_CHARS = 2
MAX_CHARS = 100
ID_RE = re.compile(r"^\d{17}[\dX]$")
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
PHONE_RE = re.compile(r"^[+\d][\d\s()-]{5,}$")
PROJECT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$")
# Lucene's special characters: dropped from name terms (a name never needs them).
_LUCENE_SPECIAL = re.compile(r'[+\-!(){}\[\]^"~*?:\\/&|]')


class LookupError_(InvalidInput):
    """A lookup text that is too short or too long."""


@dataclass(frozen=True)
class Query:
    """What a lookup text is: the parameters of queries/lookup/*.cypher (None = not that kind)."""

    id: str | None = None
    uscc: str | None = None
    phone: str | None = None
    project_id: str | None = None
    names: str | None = None


def classify(text: str) -> Query:
    """The index each kind is asked with for ``text`` (see the module docstring)."""
    q = " ".join(text.split())
    if len(q) < MIN_CHARS:
        raise LookupError_(f"lookup text needs at least {MIN_CHARS} characters")
    if len(q) > MAX_CHARS:
        raise LookupError_(f"lookup text is at most {MAX_CHARS} characters")
    upper = q.upper()
    if ID_RE.match(upper):
        # An 18-digit string is either: ask both keys (an ID number is also a syntactically valid USCC).
        return Query(id=upper, uscc=upper)
    if USCC_RE.match(upper):
        return Query(uscc=upper, project_id=q)
    if PHONE_RE.match(q):
        phone = norm_phone(q)
        if phone and len(phone) >= 7:
            return Query(phone=phone, project_id=q)
    terms = [t for t in (_LUCENE_SPECIAL.sub(" ", w).strip() for w in q.split()) if t]
    names = " AND ".join(f'name:"{t}"' for t in terms) or None
    return Query(project_id=q if PROJECT_RE.match(q) else None, names=names)


KINDS = ("persons", "units", "projects")


def index_params(query: Query) -> dict[str, Any]:
    """The parameters of queries/lookup/hits.cypher for a classified text."""
    return {"id": query.id, "uscc": query.uscc, "phone": query.phone, "project_id": query.project_id,
            "names": query.names, "candidates": CANDIDATES}


def lookup(driver: Driver, settings: Settings, text: str, scope: Scope, today: date,
           limit: int = LIMIT) -> dict[str, list[dict[str, Any]]]:
    """Persons, units and projects matching ``text`` that ``scope`` may see, at most ``limit`` each.

    One read transaction: the index hits of the three kinds (one query), the scope filters (only
    for a scoped caller, one query per kind with hits), the details of what is kept (one query).
    """
    query = classify(text)

    def work(tx: ManagedTransaction) -> dict[str, list[dict[str, Any]]]:
        hits = read(tx, settings, CYPHER.load("hits"), **index_params(query))[0]
        visible = {
            "persons": lambda keys: visible_persons(tx, settings, scope, keys, today),
            "units": lambda keys: visible_units(tx, settings, scope, keys),
            "projects": lambda keys: visible_projects(tx, settings, scope, keys),
        }
        kept: dict[str, list[dict[str, Any]]] = {}
        for kind in KINDS:
            found = hits[kind]
            allowed = visible[kind]([h["key"] for h in found]) if found else set()
            kept[kind] = [h for h in found if h["key"] in allowed][:limit]
        if not any(kept.values()):
            return {kind: [] for kind in KINDS}
        rows = read(tx, settings, CYPHER.load("details"), today=today, persons=[h["key"] for h in kept["persons"]],
                    units=[h["key"] for h in kept["units"]], projects=[h["key"] for h in kept["projects"]])[0]
        out: dict[str, list[dict[str, Any]]] = {}
        for kind in KINDS:
            items = {r["key"]: r["item"] for r in rows[kind]}
            out[kind] = [{**items[h["key"]], "matched": h["matched"]} for h in kept[kind] if h["key"] in items]
        return out

    with driver.session(database=settings.neo4j_database) as session:
        return session.execute_read(work)
