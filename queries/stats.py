"""The statistics cockpit (驾驶舱): units, registered planners, plan progress and alerts at a glance.

Every figure comes from a few grouped Cypher queries (queries/stats/*.cypher); Python only folds
the grouped rows into the views (by region / province / grade, by level / status, by province /
city / county). ``unit_id`` restricts every view to one unit (for unit HR).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.db import read
from graph.settings import Settings
from queries.alerts import STATUSES as ALERT_STATUSES

CYPHER = CypherFiles(__file__, "stats")

PROJECT_LEVELS = ("国家级", "省级", "市级", "县级", "乡镇级")
GRADES = ("A", "B", "C", "D", "未评")
# Buckets of the registered-planners-per-unit distribution: (label, low, high inclusive).
REGISTERED_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0), ("1-3", 1, 3), ("4-9", 4, 9), ("10-19", 10, 19), ("20-49", 20, 49), ("50+", 50, None),
)


def _sorted_counts(c: Counter[str] | dict[str, int], order: Iterable[str] = ()) -> dict[str, int]:
    """Counts in a fixed order first (levels, grades), then the rest by count desc and name."""
    order = list(order)
    head = [(k, c[k]) for k in order if c.get(k)]
    tail = sorted(((k, v) for k, v in c.items() if k not in order and v), key=lambda kv: (-kv[1], kv[0]))
    return dict(head + tail)


def bucket_of(n: int) -> str:
    """The distribution bucket label of a registered-planner count."""
    for label, lo, hi in REGISTERED_BUCKETS:
        if n >= lo and (hi is None or n <= hi):
            return label
    return REGISTERED_BUCKETS[-1][0]


def _progress(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    for r in rows:
        k = tuple(r[x] for x in keys)
        g = groups.setdefault(k, {**dict(zip(keys, k, strict=True)), "total": 0,
                                  "by_level": Counter(), "by_status": Counter()})
        g["total"] += r["n"]
        g["by_level"][r["level"]] += r["n"]
        g["by_status"][r["status"]] += r["n"]
    out = []
    for k in sorted(groups, key=lambda k: (-groups[k]["total"], k)):
        g = groups[k]
        g["by_level"] = _sorted_counts(g["by_level"], PROJECT_LEVELS)
        g["by_status"] = _sorted_counts(g["by_status"])
        out.append(g)
    return out


def cockpit(driver: Driver, settings: Settings, unit_id: str | None = None,
            as_of: date | None = None, province: str | None = None) -> dict[str, Any]:
    """The cockpit figures as one JSON-ready dict (see module docstring); ``unit_id`` scopes to a unit,
    ``province`` to a province (a provincial user's jurisdiction)."""
    as_of = as_of or settings.today()
    p: dict[str, Any] = {"unit_id": unit_id, "province": province}

    units = read(driver, settings, CYPHER.load("units"), **p)
    by: dict[str, Counter[str]] = defaultdict(Counter)
    for r in units:
        for key in ("region", "province", "credit_grade", "qualification"):
            by[key][r[key]] += r["n"]

    reg = read(driver, settings, CYPHER.load("registered"), as_of=as_of, **p)
    counts = [int(r["n"]) for r in reg]
    per_prov: dict[str, list[int]] = defaultdict(list)
    for r in reg:
        per_prov[r["province"]].append(int(r["n"]))
    dist = Counter(bucket_of(n) for n in counts)

    proj = read(driver, settings, CYPHER.load("projects"), **p)
    level: Counter[str] = Counter()
    status: Counter[str] = Counter()
    cross: dict[str, Counter[str]] = defaultdict(Counter)
    for r in proj:
        level[r["level"]] += r["n"]
        status[r["status"]] += r["n"]
        cross[r["level"]][r["status"]] += r["n"]

    alerts = read(driver, settings, CYPHER.load("alerts"), **p)
    a_rule: Counter[str] = Counter()
    a_prov: Counter[str] = Counter()
    a_rule_prov: Counter[tuple[str, str]] = Counter()
    a_sev: Counter[str] = Counter()
    a_status: Counter[str] = Counter()
    for r in alerts:
        a_rule[r["rule"]] += r["n"]
        a_sev[r["severity"]] += r["n"]
        a_status[r["status"]] += r["n"]
        # An alert about units in two provinces counts once in each of them.
        for prov in sorted({x for x in r["provinces"] if x}) or ["未知"]:
            a_prov[prov] += r["n"]
            a_rule_prov[(r["rule"], prov)] += r["n"]

    yellow = read(driver, settings, CYPHER.load("yellow"), **p)

    return {
        "as_of": as_of.isoformat(),
        "unit_id": unit_id,
        "province": province,
        "units": {
            "total": sum(r["n"] for r in units),
            "by_region": _sorted_counts(by["region"]),
            "by_province": _sorted_counts(by["province"]),
            "by_credit_grade": _sorted_counts(by["credit_grade"], GRADES),
            "by_qualification": _sorted_counts(by["qualification"], ("甲级", "乙级", "无")),
        },
        "registered": {
            "total": sum(counts),
            "units": len(counts),
            "average": round(sum(counts) / len(counts), 2) if counts else 0.0,
            "median": float(statistics.median(counts)) if counts else 0.0,
            "max": max(counts, default=0),
            "distribution": {label: dist.get(label, 0) for label, _, _ in REGISTERED_BUCKETS},
            "by_province": {
                prov: {"units": len(v), "registered": sum(v), "average": round(sum(v) / len(v), 2)}
                for prov, v in sorted(per_prov.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
            },
        },
        "projects": {
            "total": sum(r["n"] for r in proj),
            "by_level": _sorted_counts(level, PROJECT_LEVELS),
            "by_status": _sorted_counts(status),
            "by_level_status": {lv: _sorted_counts(cross[lv]) for lv in _sorted_counts(level, PROJECT_LEVELS)},
            "progress": {
                "province": _progress(proj, ("province",)),
                "city": _progress(proj, ("province", "city")),
                "county": _progress([r for r in proj if r["county"]], ("province", "city", "county")),
            },
        },
        "alerts": {
            "total": sum(r["n"] for r in alerts),
            "by_rule": _sorted_counts(a_rule),
            "by_province": _sorted_counts(a_prov),
            "by_severity": _sorted_counts(a_sev, ("high", "medium", "low")),
            "by_status": _sorted_counts(a_status, ALERT_STATUSES),
            "by_rule_province": [{"rule": k[0], "province": k[1], "n": v}
                                 for k, v in sorted(a_rule_prov.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))],
        },
        "yellow_list": {
            "total": sum(r["n"] for r in yellow),
            "by_province": _sorted_counts({r["province"]: r["n"] for r in yellow}),
        },
    }


def unit_figures(driver: Driver, settings: Settings, unit_id: str, today: date) -> dict[str, Any] | None:
    """Headline staff figures of one unit (unit HR's dashboard): totals and counts by plan level,
    plan type, title and education of its current staff; None for an unknown unit."""
    rows = read(driver, settings, CYPHER.load("unit"), unit_id=unit_id, today=today)
    if not rows:
        return None
    r = rows[0]
    return {
        "unit_id": r["unit_id"], "name": r["name"], "grade": r["grade"], "credit_grade": r["credit_grade"],
        "totals": {"staff": r["staff"], "registered": r["registered"], "experts": r["experts"], "projects": r["projects"]},
        "by_plan_level": _counts(r["levels"]), "by_plan_type": _counts(r["plan_types"]),
        "by_title": _counts(r["titles"]), "by_education": _counts(r["educations"]),
    }


def _counts(values: list[str]) -> dict[str, int]:
    return dict(Counter(values).most_common())
