"""Lookup latency on the loaded graph: `python -m bench.lookup [--n 300] [--seed 1] [--province 浙江省]`.

Run after `plantalent ingest` (the national sample: `plantalent sample --scale national --seed 1`).
Draws ``--n`` lookups from the graph itself — person names, ID numbers (lower-cased), phones, unit
names (their first 4–6 characters), USCCs and project names — and times `queries.lookup.lookup`
(all three kinds, scope filtering and details included) for a national user and for a provincial
one; prints p50/p95/max per kind of text (goal: p95 < 50 ms). The baseline, measured in the same
run on the name lookups, is what lookup did before the indexes were used: `CONTAINS` over every
Person, Org and Project (label scans). Last, the PROFILE of the index query (the three kinds at once) for a
name, an ID number and a phone: the operators used (one seek per branch: key, range or full-text
index; a branch whose parameter is null yields nothing), db hits, and a check that none is a label
or all-nodes scan.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from neo4j import Driver

from graph.db import connect, read
from graph.settings import Settings
from queries.lookup import CYPHER as LOOKUP_CYPHER
from queries.lookup import classify, index_params, lookup
from queries.scope import Scope

SCANS = ("NodeByLabelScan", "AllNodesScan", "RelationshipTypeScan", "DirectedAllRelationshipsScan",
         "UndirectedAllRelationshipsScan")
NAIVE = """
CALL () { MATCH (p:Person) WHERE p.name CONTAINS $q RETURN count(p) AS n
          UNION ALL MATCH (o:Org) WHERE o.name CONTAINS $q RETURN count(o) AS n
          UNION ALL MATCH (j:Project) WHERE j.name CONTAINS $q RETURN count(j) AS n }
RETURN sum(n) AS n"""


def _samples(driver: Driver, settings: Settings, n: int, seed: int) -> list[tuple[str, str]]:
    """(kind of text, text) pairs drawn from the graph, reproducibly from ``seed``."""
    rng = random.Random(seed)
    persons = read(driver, settings, "MATCH (p:Person) RETURN p.person_id AS id, p.name AS name, p.phone_norm AS phone "
                                     "ORDER BY id LIMIT 50000")
    units = read(driver, settings, "MATCH (u:Unit) RETURN u.unit_id AS id, u.name AS name ORDER BY id")
    projects = read(driver, settings, "MATCH (j:Project) RETURN j.name AS name ORDER BY j.project_id LIMIT 20000")
    per = max(n // 6, 1)
    out: list[tuple[str, str]] = []
    for p in rng.sample(persons, min(per, len(persons))):
        out.append(("person name", p["name"]))
    for p in rng.sample(persons, min(per, len(persons))):
        out.append(("ID number", p["id"].lower()))
    phones = [p for p in persons if p["phone"]]
    for p in rng.sample(phones, min(per, len(phones))):
        out.append(("phone", p["phone"]))
    for u in rng.sample(units, min(per, len(units))):
        out.append(("unit name", u["name"][: rng.randint(4, 6)]))
    for u in rng.sample(units, min(per, len(units))):
        out.append(("USCC", u["id"]))
    for j in rng.sample(projects, min(per, len(projects))):
        out.append(("project name", j["name"][:8]))
    rng.shuffle(out)
    return out


def _stats(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1), "max_ms": round(ms[-1], 1)}


def _time(calls: list[tuple[str, str]], fn: Callable[[str], Any]) -> dict[str, dict[str, float]]:
    by: dict[str, list[float]] = {}
    for kind, text in calls:
        t0 = time.perf_counter()
        fn(text)
        by.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
    out = {k: _stats(v) for k, v in sorted(by.items())}
    out["all"] = _stats([x for v in by.values() for x in v])
    return out


def _operators(plan: Any) -> list[tuple[str, int]]:
    ops = [(plan.get("operatorType", ""), int(plan.get("dbHits", 0)))]
    for child in plan.get("children", []):
        ops += _operators(child)
    return ops


def _profile(driver: Driver, settings: Settings, text: str) -> dict[str, Any]:
    """PROFILE of the lookup's index query (queries/lookup/hits.cypher, the three kinds) for ``text``."""
    with driver.session(database=settings.neo4j_database) as s:
        rows = s.run("PROFILE " + LOOKUP_CYPHER.load("hits"), **index_params(classify(text)))
        found = {k: len(v) for k, v in rows.single().items()}
        summary = rows.consume()
    ops = _operators(summary.profile or {})
    counts: dict[str, int] = {}
    for o, _ in ops:
        name = o.split("@")[0]
        if "Seek" in name or "Procedure" in name or "Scan" in name:
            counts[name] = counts.get(name, 0) + 1
    return {"hits": found, "db_hits": sum(h for _, h in ops), "index_operators": counts,
            "label_scans": [o for o, _ in ops if o.split("@")[0] in SCANS]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300, help="lookups per scope")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--province", default="浙江省", help="the provincial user's province")
    ap.add_argument("--baseline", type=int, default=30, help="name lookups timed with the label-scan baseline")
    args = ap.parse_args()
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    settings = Settings()
    today = settings.today() if settings.as_of else date.today()
    driver = connect(settings)
    try:
        counts = read(driver, settings, "CALL () { MATCH (p:Person) RETURN count(p) AS persons } "
                                        "CALL () { MATCH (o:Org) RETURN count(o) AS orgs } "
                                        "CALL () { MATCH (j:Project) RETURN count(j) AS projects } "
                                        "RETURN persons, orgs, projects")[0]
        calls = _samples(driver, settings, args.n, args.seed)
        for _, text in calls[:20]:  # warm the page cache and the query plans
            lookup(driver, settings, text, Scope(), today)
        national = _time(calls, lambda q: lookup(driver, settings, q, Scope(), today))
        provincial = _time(calls, lambda q: lookup(driver, settings, q, Scope(province=args.province), today))
        names = [c for c in calls if c[0] in ("person name", "unit name", "project name")][: args.baseline]
        indexed = _time(names, lambda q: lookup(driver, settings, q, Scope(), today))["all"]
        naive = _time(names, lambda q: read(driver, settings, NAIVE, q=q))["all"]
        person = read(driver, settings, "MATCH (p:Person) WHERE p.phone_norm IS NOT NULL "
                                        "RETURN p.person_id AS id, p.name AS name, p.phone_norm AS phone LIMIT 1")[0]
        profiles = {"name": _profile(driver, settings, person["name"]), "ID number": _profile(driver, settings, person["id"]),
                    "phone": _profile(driver, settings, person["phone"])}
        scans = sorted({s for p in profiles.values() for s in p["label_scans"]})
        print(json.dumps({
            "graph": counts, "lookups": len(calls), "national": national, "provincial": {args.province: provincial},
            "baseline_names": {"indexed_p50_ms": indexed["p50_ms"], "label_scan_p50_ms": naive["p50_ms"],
                               "ratio_p50": round(naive["p50_ms"] / max(indexed["p50_ms"], 0.01), 1)},
            "profile": profiles, "label_scans": scans or "none",
            "goal_p95_ms": 50, "met": national["all"]["p95_ms"] < 50 and provincial["all"]["p95_ms"] < 50,
        }, ensure_ascii=False, indent=1))
    finally:
        driver.close()


if __name__ == "__main__":
    main()
