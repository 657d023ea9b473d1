"""Person portrait (人员全息画像): identity, timelines, projects, awards, violations, expert
status, tags with evidence, alerts, credit points and closest collaborators, in one read."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.db import read
from graph.masking import public_payload
from graph.records import history as past_of
from graph.settings import Settings
from tagging.scoring import credit_points

CYPHER = CypherFiles(__file__, "portrait")


def _active(start: str | None, end: str | None, as_of: date) -> bool:
    iso = as_of.isoformat()
    return (start is None or start <= iso) and (end is None or end >= iso)


# Entries of each history list in a portrait (versions; retired or set-aside records), newest first.
HISTORY_LIMIT = 200


def _without_sources(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k != "source"} for row in rows]


def get_portrait(driver: Driver, settings: Settings, person_id: str, unmask: bool = False, as_of: date | None = None,
                 *, history: bool = False) -> dict[str, Any] | None:
    """The portrait of ``person_id`` (None if unknown: never loaded, or retired); masked (graph.masking: IDs,
    birth date, phones, e-mails, also inside text) unless ``unmask``. ``history`` (for inspectors and
    admins, DESIGN.md "Data lifecycle"): each fact with its source (file, line, load) and ``history`` — the
    earlier values of the person and the person's records (versions) and the person's retired or set-aside
    records, with theirs."""
    person_id = person_id.strip().upper()
    rows = read(driver, settings, CYPHER.load("person"), shallow=True, person_id=person_id)
    if not rows:
        return None
    r = dict(rows[0])
    if not history:
        for name in ("registrations", "employments", "insurance", "projects", "awards", "violations", "experts"):
            r[name] = _without_sources(r[name])
    as_of = as_of or settings.today()
    person = dict(r["person"])
    collaborators = [dict(c) for c in r["collaborators"]]
    for reg in r["registrations"]:
        reg["active"] = _active(reg["valid_from"], reg["valid_to"], as_of)
    for emp in r["employments"]:
        emp["current"] = _active(emp["start_date"], emp["end_date"], as_of)
    for ins in r["insurance"]:
        ins["current"] = _active(ins["start_month"], ins["end_month"], as_of)
    projects = r["projects"]
    current = [e for e in r["employments"] if e["current"]]
    tags = []
    for t in r["tags"]:
        t = dict(t)
        t["evidence"] = json.loads(t["evidence"]) if t.get("evidence") else []
        tags.append(t)
    in_pool = [e for e in r["experts"] if e["status"] == "在库"]
    for e in r["experts"]:
        # Review panels (queries/panels.py): panels served on as a member, ratings 1-5 after the review.
        ratings = [x["rating"] for x in e["panels"] if x["role"] == "member" and x["rating"] is not None]
        e["panels_served"] = sum(x["role"] == "member" for x in e["panels"])
        e["ratings"] = {"count": len(ratings), "mean": round(sum(ratings) / len(ratings), 2) if ratings else None}
    portrait: dict[str, Any] = {
        "person_id": person["person_id"],
        "masked": not unmask,
        "as_of": as_of.isoformat(),
        "identity": person,
        "education": {k: person.get(k) for k in ("education", "school", "major")},
        "title": person.get("title"),
        "current_units": [{k: e[k] for k in ("unit_id", "unit_name", "province", "position", "start_date")} for e in current],
        "registrations": r["registrations"],
        "employments": r["employments"],
        "insurance": r["insurance"],
        "projects": {
            "count": len(projects),
            "by_level": dict(Counter(p["level"] or "未知" for p in projects)),
            "by_plan_type": dict(Counter(p["plan_type"] or "未知" for p in projects)),
            "by_role": dict(Counter(p["role"] or "未知" for p in projects)),
            "items": projects,
        },
        "awards": r["awards"],
        "violations": r["violations"],
        "expert": {"is_expert": bool(r["experts"]), "in_pool": bool(in_pool), "records": r["experts"],
                   "panels_served": sum(e["panels_served"] for e in r["experts"])},
        "tags": tags,
        "alerts": r["alerts"],
        "credit": credit_points(r["violations"], r["awards"], as_of),
        "collaborators": collaborators,
    }
    if history:
        past = read(driver, settings, CYPHER.load("history"), person_id=person_id, limit=HISTORY_LIMIT)
        portrait["source"] = r["source"]
        portrait["history"] = past_of(past[0]["versions"], past[0]["withdrawn"]) if past else {"versions": [], "withdrawn": []}
    return portrait if unmask else public_payload(portrait, unmask=False)
