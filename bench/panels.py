"""Benchmark of review-panel assignment (queries/panels.py, queries/assign.py).

    python -m bench.panels [--sample DIR] [--panels 50] [--k 5] [--no-embed] [--out bench-panels.json]
                           [--save-problem FILE] [--load-problem FILE [--full]]

Uses the Neo4j of the environment (NEO4J_URI …), loaded and tagged (the national sample:
`plantalent sample --scale national --seed 1`, `ingest`, `tag --embed-scope experts`, `detect`).
Builds a batch of ``--panels`` panels × ``--k`` experts with every rule on (one expert per unit, one
from outside the panel's province, one senior, one panel per expert, 90 days' cooldown), each panel
a review topic in a province, avoiding two units of that province that employ experts. Reports, in
one run on the same prepared batch: the preparation (ranking and conflicts of interest of every
panel), the optimal solve time (goal < 5 s: restricted models and their proof) and objective, the greedy per-panel baseline's time and
objective (the ratio solver / greedy), the random draw's time, and the end-to-end time of
``assign`` in both modes. The load average is recorded with the figures.

``--save-problem FILE`` keeps the prepared solver problem (queries.assign.Problem, pickled) so that
``--load-problem FILE`` re-measures the solver part alone in seconds, without Neo4j or the ranking;
``--full`` adds, in the same run, the solve of the whole model (every candidate of every panel in one
CP-SAT model, as before the restricted solve) as the baseline of the solve time.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import pickle
import time
from datetime import date
from pathlib import Path
from typing import Any

from graph.db import connect, read
from graph.settings import Settings
from queries.assign import Problem, Solution, add_alternates, draw, greedy, solve
from queries.experts import load_index
from queries.panels import PanelBatch, assign, prepare
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


def solver_figures(problem: Problem, settings: Settings, alternates: int, seed: int, full: bool) -> dict[str, Any]:
    """Time the solver part on a prepared problem: the optimum (and with ``full`` the whole model as
    the baseline), the greedy per-panel baseline and the random draw, each with its alternates."""
    runs: dict[str, Any] = {
        "optimal": lambda: solve(problem, limit=settings.panels.solver_limit),
        "greedy": lambda: greedy(problem),
        "random": lambda: draw(problem, seed, top_factor=settings.panels.top_factor),
    }
    if full:
        runs["full_model"] = lambda: solve(problem, limit=settings.panels.solver_limit, restricted=False)
    results: dict[str, Any] = {}
    for method, go in runs.items():
        t = time.perf_counter()
        sol: Solution = go()
        seconds = time.perf_counter() - t
        t = time.perf_counter()
        add_alternates(problem, sol, alternates, seed=seed if method == "random" else None)
        results[method] = {"seconds": round(seconds, 3), "alternates_s": round(time.perf_counter() - t, 3),
                           "filled": len(sol.members), "unfilled": {problem.panels[p].panel_id: u.constraint
                                                                    for p, u in sol.unfilled.items()},
                           "objective": sol.total(problem)}
        if sol.optimal is not None:
            results[method]["proved_optimal"] = sol.optimal
            results[method]["stats"] = sol.stats
    greedy_obj = results["greedy"]["objective"]
    results["objective_ratio_solver_vs_greedy"] = round(results["optimal"]["objective"] / greedy_obj, 4) if greedy_obj else None
    if full:
        results["solve_speedup_vs_full_model"] = round(results["full_model"]["seconds"] / max(results["optimal"]["seconds"], 1e-3), 1)
    return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=Path, default=None, help="the sample folder (its sample_meta.json gives as_of)")
    ap.add_argument("--as-of", default=None, help="YYYY-MM-DD (default: the sample's, else today)")
    ap.add_argument("--panels", type=int, default=50)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-embed", action="store_true", help="rank without embedding similarity")
    ap.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    ap.add_argument("--save-problem", type=Path, default=None, help="pickle the prepared solver problem to FILE")
    ap.add_argument("--load-problem", type=Path, default=None,
                    help="measure the solver part alone on a problem saved by --save-problem (no Neo4j)")
    ap.add_argument("--full", action="store_true", help="also solve the whole model (the baseline of the solve time)")
    args = ap.parse_args(argv)
    settings = Settings()
    figures: dict[str, Any] = {"loadavg_start": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    if args.load_problem:
        problem: Problem = pickle.loads(args.load_problem.read_bytes())  # a file this benchmark wrote
        figures.update(panels=len(problem.panels), k=args.k, candidates=len(problem.experts),
                       variables=sum(len(p.scores) for p in problem.panels))
        figures.update(solver_figures(problem, settings, 2, args.seed, args.full))
    else:
        figures.update(prepared_figures(args, settings))
    figures["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    report(figures, args.panels, args.k)
    if args.out:
        args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return figures


def prepared_figures(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """Prepare the batch on the graph, then time the solver part and ``assign`` end to end."""
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    meta = args.sample / "sample_meta.json" if args.sample else None
    as_of = (date.fromisoformat(args.as_of) if args.as_of else
             date.fromisoformat(json.loads(meta.read_text())["as_of"]) if meta and meta.is_file() else settings.today())
    driver = connect(settings)
    figures: dict[str, Any] = {"as_of": as_of.isoformat(), "panels": args.panels, "k": args.k, "rules": RULES}
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
        if args.save_problem:
            args.save_problem.write_bytes(pickle.dumps(b.problem))
        figures.update(solver_figures(b.problem, settings, batch.alternates, args.seed, args.full))

        for mode in ("optimal", "random"):
            t = time.perf_counter()
            assign(driver, settings, batch.model_copy(update={"mode": mode}), embedder=embedder, index=index, actor="bench")
            figures[f"assign_{mode}_s"] = round(time.perf_counter() - t, 2)
    finally:
        driver.close()
    return figures


def report(figures: dict[str, Any], panels: int, k: int) -> None:
    opt, gr, rnd = figures["optimal"], figures["greedy"], figures["random"]
    experts = f"{figures['experts']} experts, " if "experts" in figures else ""
    print(f"{panels} panels × k={k}, {experts}{figures['candidates']} candidates, "
          f"{figures['variables']} panel×expert variables; load average {figures['loadavg_start']} on {figures['cpus']} cpus")
    if "prepare_s" in figures:
        print(f"prepare (ranking + conflicts of interest): {figures['prepare_s']} s")
    print(f"optimal (restricted model + proof): {opt['seconds']} s, objective {opt['objective']}, filled {opt['filled']}/{panels}, "
          f"proved optimal {opt['proved_optimal']} ({opt['stats']})")
    if "full_model" in figures:
        full = figures["full_model"]
        print(f"CP-SAT on the whole model (baseline): {full['seconds']} s, objective {full['objective']}, "
              f"proved optimal {full['proved_optimal']}; speed-up {figures['solve_speedup_vs_full_model']}×")
    print(f"greedy per panel: {gr['seconds']} s, objective {gr['objective']}, filled {gr['filled']}/{panels}; "
          f"solver / greedy = {figures['objective_ratio_solver_vs_greedy']}")
    print(f"random draw: {rnd['seconds']} s, filled {rnd['filled']}/{panels}")
    if "assign_optimal_s" in figures:
        print(f"assign end to end: optimal {figures['assign_optimal_s']} s, random {figures['assign_random_s']} s")


if __name__ == "__main__":
    main()
