"""Bench-only bulk load of a generated sample: the nodes and relationships the detection rules read,
in the shape of docs/graph-model.md, written with `UNWIND $rows CREATE` into an EMPTY database.

No validation, no provenance, no idempotency: it exists so that `bench.detect --fast-load` can time the
rules on the national sample (millions of rows) on a busy 2-core machine, where the real ingest
(`plantalent ingest`, validated and idempotent) takes far longer. Never use it for real data.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from neo4j import Driver

from graph.db import batched
from graph.settings import Settings
from ingest.normalize import norm_email, norm_phone

# Cypher of each file (bench-only constants; the product's writers are queries/ingest/*.cypher).
ORGS = "UNWIND $rows AS r CREATE (o:Org {unit_id: r.unit_id, name: r.name, external: true, unit_type: r.unit_type})"
UNITS = ("UNWIND $rows AS r MATCH (o:Org {unit_id: r.unit_id}) SET o:Unit, o += r, o.external = false")
OWNED = ("UNWIND $rows AS r MATCH (o:Org {unit_id: r.unit_id}) MATCH (p:Org {unit_id: r.parent_unit_id}) "
         "CREATE (o)-[:OWNED_BY]->(p)")
PERSONS = "UNWIND $rows AS r CREATE (p:Person) SET p = r"
RECORD = ("UNWIND $rows AS r MATCH (p:Person {person_id: r.person_id}) MATCH (o:Org {unit_id: r.unit_id}) "
          "CREATE (p)-[:{rel}]->(x:{label})-[:AT]->(o) SET x = r")
PROJECTS = ("UNWIND $rows AS r MATCH (o:Org {unit_id: r.lead_unit_id}) CREATE (j:Project)-[:LED_BY]->(o) SET j = r")
MEMBERS = ("UNWIND $rows AS r MATCH (p:Person {person_id: r.person_id}) MATCH (j:Project {project_id: r.project_id}) "
           "CREATE (p)-[:MEMBER_OF {role: r.role, unit_id: r.unit_id}]->(j)")
APPS = "UNWIND $rows AS r MATCH (o:Org {unit_id: r.unit_id}) CREATE (a:Application)-[:BY]->(o) SET a = r"
STAFF = ("UNWIND $rows AS r MATCH (a:Application {application_id: r.application_id}) "
         "MATCH (p:Person {person_id: r.person_id}) CREATE (a)-[:DECLARES {role: r.role}]->(p)")
REORGS = ("UNWIND $rows AS r MATCH (a:Org {unit_id: r.from_unit_id}) MATCH (b:Org {unit_id: r.to_unit_id}) "
          "CREATE (a)<-[:FROM]-(x:Reorganization)-[:TO]->(b) SET x = r")


def _rows(folder: Path, name: str) -> Iterator[dict[str, str]]:
    path = folder / f"{name}.csv"
    if not path.exists():
        return iter(())
    fh = open(path, encoding="utf-8-sig", newline="")
    return (dict(r) for r in csv.DictReader(fh))


def _d(s: str) -> date | None:
    return date.fromisoformat(s) if s else None


def _m(s: str) -> date | None:
    return date.fromisoformat(s + "-01") if s else None


def _none(r: dict[str, str]) -> dict[str, Any]:
    return {k: (v if v != "" else None) for k, v in r.items()}


def fast_load(driver: Driver, settings: Settings, folder: Path, batch: int = 10000) -> dict[str, int]:
    """Bulk-create the sample of ``folder`` in an empty database; returns rows per file."""
    db = settings.neo4j_database
    counts: dict[str, int] = {}

    def run(name: str, query: str, rows: Any) -> None:
        n = 0
        for chunk in batched(rows, batch):
            driver.execute_query(query, rows=chunk, database_=db)
            n += len(chunk)
        counts[name] = counts.get(name, 0) + n

    units = [_none(r) for r in _rows(folder, "units")]
    known = {u["unit_id"] for u in units}
    external: dict[str, dict[str, Any]] = {}
    for name, col, name_col, type_col in (("social_insurance", "unit_id", "payer_name", "payer_type"),
                                          ("employments", "unit_id", None, None),
                                          ("registrations", "unit_id", None, None)):
        for r in _rows(folder, name):
            uid = r[col]
            if uid not in known and uid not in external:
                external[uid] = {"unit_id": uid, "name": r.get(name_col or "", None) or None,
                                 "unit_type": r.get(type_col or "", None) or None}
    for u in units:
        if u.get("parent_unit_id") and u["parent_unit_id"] not in known:
            external.setdefault(u["parent_unit_id"], {"unit_id": u["parent_unit_id"], "name": None, "unit_type": None})
    run("orgs", ORGS, [{"unit_id": u["unit_id"], "name": u["name"], "unit_type": u["unit_type"]} for u in units]
        + list(external.values()))
    for u in units:
        u["phone_norm"], u["email_norm"] = norm_phone(u.get("phone")), norm_email(u.get("email"))
        u["cert_valid_until"] = _d(u.get("cert_valid_until") or "")
    run("units", UNITS, units)
    run("owned_by", OWNED, [u for u in units if u.get("parent_unit_id")])

    def persons() -> Iterator[dict[str, Any]]:
        for r in _rows(folder, "persons"):
            p = _none(r)
            p["birth_date"] = _d(r["birth_date"])
            p["civil_servant"], p["retired"] = r["civil_servant"] == "是", r["retired"] == "是"
            p["phone_norm"], p["email_norm"] = norm_phone(r["phone"]), norm_email(r["email"])
            yield p

    run("persons", PERSONS, persons())

    def regs() -> Iterator[dict[str, Any]]:
        for r in _rows(folder, "registrations"):
            yield {**_none(r), "reg_id": f"{r['cert_no']}|{r['unit_id']}|{r['valid_from']}",
                   "valid_from": _d(r["valid_from"]), "valid_to": _d(r["valid_to"])}

    def emps() -> Iterator[dict[str, Any]]:
        for r in _rows(folder, "employments"):
            yield {**_none(r), "emp_id": f"{r['person_id']}|{r['unit_id']}|{r['start_date']}",
                   "start_date": _d(r["start_date"]), "end_date": _d(r["end_date"])}

    def ins() -> Iterator[dict[str, Any]]:
        for r in _rows(folder, "social_insurance"):
            yield {**_none(r), "ins_id": f"{r['person_id']}|{r['unit_id']}|{_m(r['start_month'])}",
                   "start_month": _m(r["start_month"]), "end_month": _m(r["end_month"])}

    run("registrations", RECORD.replace("{rel}", "HAS_REGISTRATION").replace("{label}", "Registration"), regs())
    run("employments", RECORD.replace("{rel}", "HAS_EMPLOYMENT").replace("{label}", "Employment"), emps())
    run("social_insurance", RECORD.replace("{rel}", "HAS_INSURANCE").replace("{label}", "Insurance"), ins())

    def projects() -> Iterator[dict[str, Any]]:
        for r in _rows(folder, "projects"):
            yield {**_none(r), "start_date": _d(r["start_date"]), "end_date": _d(r["end_date"])}

    run("projects", PROJECTS, projects())
    run("project_members", MEMBERS, (_none(r) for r in _rows(folder, "project_members")))

    def apps() -> Iterator[dict[str, Any]]:
        for r in _rows(folder, "applications"):
            yield {**_none(r), "submitted": _d(r["submitted"]), "decided": _d(r["decided"])}

    run("applications", APPS, apps())
    run("application_staff", STAFF, (_none(r) for r in _rows(folder, "application_staff")))

    def reorgs() -> Iterator[dict[str, Any]]:
        for r in _rows(folder, "reorganizations"):
            yield {**_none(r), "reorg_id": f"{r['from_unit_id']}|{r['to_unit_id']}|{r['date']}|{r['kind']}",
                   "date": _d(r["date"])}

    run("reorganizations", REORGS, reorgs())
    return counts
