"""Benchmark of review-panel assignment (queries/panels.py, queries/assign.py).

    python -m bench.panels [--sample DIR] [--panels 50] [--k 5] [--no-embed] [--out bench-panels.json]

Uses the Neo4j of the environment (NEO4J_URI …), loaded and tagged (the national sample:
`plantalent sample --scale national --seed 1`, `ingest`, `tag --embed-scope experts`, `detect`).
Builds a batch of ``--panels`` panels × ``--k`` experts with every rule on (one expert per unit, one
from outside the panel's province, one senior, one panel per expert, 90 days' cooldown), each panel
a review topic in a province, avoiding two units of that province that employ experts. Reports, in
one run on the same prepared batch: the preparation (ranking and conflicts of interest of every
panel), the CP-SAT solve time (goal < 5 s) and objective, the greedy per-panel baseline's time and
objective (the ratio solver / greedy), the random draw's time, and the end-to-end time of
``assign`` in both modes. The load average is recorded with the figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from datetime import date
from pathlib import Path
from typing import Any

from graph.db import connect, read
from graph.settings import Settings
from queries.assign import add_alternates, relevant
from queries.experts import load_index
from queries.panels import PanelBatch, assign, prepare, run
from tagging.embed import EmbedderError, load_embedder

TOPICS = [
    ("市级国土空间总体规划成果技术审查", "市级"), ("实用性村庄规划成果评审", "县级"), ("综合交通专项规划评审", "市级"),
    ("历史文化名城保护规划论证", "市级"), ("国土空间生态修复规划评审", "省级"), ("控制性详细规划修编技术审查", "市级"),
    ("全域土地综合整治试点方案论证", "县级"), ("城市更新专项规划评审", "市级"), ("乡镇国土空间总体规划审查", "乡镇级"),
    ("海绵城市专项规划审查", "市级"),
]
# Provinces with the most experts, and two units in each that employ experts now (to avoid).
PROVINCES = """
MATCH (p:Person)-[:IS_EXPERT]->(:Expert {status: '在库'}), (p)-[:HAS_EMPLOYMENT]->(x:Employment)-[:AT]->(o:Unit)
WHERE x.end_date IS NULL AND o.province IS NOT NULL
WITH o.province AS province, o.unit_id AS unit_id, count(*) AS n
ORDER BY province, n DESC, unit_id
WITH province, collect(unit_id)[..2] AS units, sum(n) AS experts
RETURN province, units, experts ORDER BY experts DESC, province LIMIT 10
"""
RULES = {"max_per_unit": 1, "min_outside_province": 1, "max_panels_per_expert": 1, "min_senior": 1, "cooldown_days": 90}


def build_batch(driver: Any, settings: Settings, n: int, k: int, as_of: date, seed: int, mode: str = "optimal") -> PanelBatch:
    provinces = read(driver, settings, PROVINCES)
    panels = []
    for i in range(n):
        text, level = TOPICS[i % len(TOPICS)]
        prov = provinces[i % len(provinces)] if provinces else {"province": None, "units": []}
        panels.append({"panel_id": f"B{i + 1:03d}", "text": f"{prov['province'] or ''}{text}", "k": k, "level": level,
                       "province": prov["province"], "exclude_unit_ids": prov["units"]})
    return PanelBatch.model_validate({"as_of": as_of.isoformat(), "seed": seed, "mode": mode, "alternates": 2,
                                      "constraints": RULES, "panels": panels})


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=Path, default=None, help="the sample folder (its sample_meta.json gives as_of)")
    ap.add_argument("--as-of", default=None, help="YYYY-MM-DD (default: the sample's, else today)")
    ap.add_argument("--panels", type=int, default=50)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-embed", action="store_true", help="rank without embedding similarity")
    ap.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    args = ap.parse_args(argv)
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    settings = Settings()
    meta = args.sample / "sample_meta.json" if args.sample else None
    as_of = (date.fromisoformat(args.as_of) if args.as_of else
             date.fromisoformat(json.loads(meta.read_text())["as_of"]) if meta and meta.is_file() else settings.today())
    driver = connect(settings)
    figures: dict[str, Any] = {"as_of": as_of.isoformat(), "panels": args.panels, "k": args.k, "rules": RULES,
                               "loadavg_start": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    try:
        embedder = None
        if not args.no_embed:
            try:
                embedder = load_embedder(settings)
            except EmbedderError as exc:
                print(f"no embedder ({exc}): lexical ranking")
        figures["model"] = settings.embed_model if embedder is not None else None
        t = time.perf_counter()
        index = load_index(driver, settings)
        figures["index_s"] = round(time.perf_counter() - t, 2)
        figures["experts"] = len(index.rows)
        batch = build_batch(driver, settings, args.panels, args.k, as_of, args.seed)
        if embedder is not None:  # encode the topics once, as a warm service would have them cached
            embedder.embed([p.text for p in batch.panels])

        t = time.perf_counter()
        b = prepare(driver, settings, batch, embedder=embedder, index=index)
        figures["prepare_s"] = round(time.perf_counter() - t, 2)
        figures["candidates"] = len(b.problem.experts)
        figures["variables"] = sum(len(p.scores) for p in b.problem.panels)
        figures["model_variables"] = sum(len(relevant(b.problem, p)) for p in range(len(b.problem.panels)))

        results = {}
        for method in ("optimal", "greedy", "random"):
            t = time.perf_counter()
            sol = run(settings, b, method)  # type: ignore[arg-type]
            seconds = time.perf_counter() - t
            t = time.perf_counter()
            add_alternates(b.problem, sol, batch.alternates, seed=args.seed if method == "random" else None)
            results[method] = {"seconds": round(seconds, 3), "alternates_s": round(time.perf_counter() - t, 3),
                               "filled": len(sol.members), "unfilled": {b.problem.panels[p].panel_id: u.constraint
                                                                        for p, u in sol.unfilled.items()},
                               "objective": sol.total(b.problem)}
            if method == "optimal":
                results[method]["proved_optimal"] = sol.optimal
        figures.update(results)
        greedy_obj = results["greedy"]["objective"]
        figures["objective_ratio_solver_vs_greedy"] = round(results["optimal"]["objective"] / greedy_obj, 4) if greedy_obj else None

        for mode in ("optimal", "random"):
            t = time.perf_counter()
            assign(driver, settings, batch.model_copy(update={"mode": mode}), embedder=embedder, index=index, actor="bench")
            figures[f"assign_{mode}_s"] = round(time.perf_counter() - t, 2)
        figures["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        driver.close()
    opt, gr, rnd = figures["optimal"], figures["greedy"], figures["random"]
    print(f"{args.panels} panels × k={args.k}, {figures['experts']} experts, {figures['candidates']} candidates, "
          f"{figures['variables']} panel×expert variables")
    print(f"prepare (ranking + conflicts of interest): {figures['prepare_s']} s")
    print(f"CP-SAT: {opt['seconds']} s, objective {opt['objective']}, filled {opt['filled']}/{args.panels}, "
          f"proved optimal {opt['proved_optimal']}")
    print(f"greedy per panel: {gr['seconds']} s, objective {gr['objective']}, filled {gr['filled']}/{args.panels}; "
          f"solver / greedy = {figures['objective_ratio_solver_vs_greedy']}")
    print(f"random draw: {rnd['seconds']} s, filled {rnd['filled']}/{args.panels}")
    print(f"assign end to end: optimal {figures['assign_optimal_s']} s, random {figures['assign_random_s']} s")
    if args.out:
        args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
