"""Time `compute_credit` on the loaded graph: `python -m bench.credit [--as-of DATE] [--repeat N]`.

Run after `plantalent ingest` (e.g. on the national sample). Prints one JSON line with the unit
and person counts, the grade distribution, the yellow-list size and the seconds per run (goal:
< 60 s on 2 cores). It writes credit grades into the graph, exactly as `plantalent credit` does.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections import Counter
from datetime import date

from graph.db import connect, read
from graph.settings import Settings
from queries.credit import collect_raw, compute_credit, load_config


def main() -> None:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--as-of", default=None, help="grading date (default: PLANTALENT_AS_OF or sample_meta or today)")
    ap.add_argument("--repeat", type=int, default=1, help="runs (the second shows the idempotent re-run)")
    args = ap.parse_args()
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    settings = Settings()
    as_of = date.fromisoformat(args.as_of) if args.as_of else settings.today()
    driver = connect(settings)
    try:
        counts = read(driver, settings, "MATCH (u:Unit) WITH count(u) AS units "
                                        "MATCH (p:Person) RETURN units, count(p) AS persons")[0]
        cfg = load_config(settings)
        t0 = time.perf_counter()
        collect_raw(driver, settings, as_of, cfg)
        aggregate_s = time.perf_counter() - t0
        runs = []
        rows = []
        for _ in range(max(args.repeat, 1)):
            t0 = time.perf_counter()
            rows = compute_credit(driver, settings, as_of, config=cfg)
            runs.append(round(time.perf_counter() - t0, 2))
        grades = Counter(r["grade"] for r in rows)
        print(json.dumps({
            "as_of": as_of.isoformat(), "units": counts["units"], "persons": counts["persons"],
            "aggregate_only_s": round(aggregate_s, 2), "compute_credit_s": runs,
            "grades": {g: grades.get(g, 0) for g in "ABCD"},
            "composite": {"min": min((r["composite"] for r in rows), default=None),
                          "max": max((r["composite"] for r in rows), default=None)},
            "yellow_list": sum(1 for r in rows if r["yellow_list"] in ("entered", "on")),
        }, ensure_ascii=False))
    finally:
        driver.close()


if __name__ == "__main__":
    main()
