"""Benchmark of the detection rules: `python -m bench.detect --scale small|national --sample DIR`.

Against the configured Neo4j (NEO4J_URI / the managed server): generates the sample into DIR if it
is missing, loads it (unless --no-load; loading empties the database first), then reports
- seconds per rule (cold = first run incl. query planning, warm = second run) and in total,
  plus the full run that stores alerts in the graph;
- peak memory (this Python process; the managed Neo4j JVM's peak RSS when it is ours);
- the PROFILE plan summary of the slowest rule (db hits, rows per operator);
- `--person` latency: p50 / p95 over ~50 persons (goal < 100 ms);
- (--fast-load: a bench-only bulk load instead of the validated ingest, for the national sample)
- the pandas implementation of the same rules over the same CSVs (bench/detect_pandas.py): its
  time as a ratio, and whether both find the same alert keys;
- precision / recall against ground_truth.jsonl.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from graph.db import connect
from graph.server import ManagedNeo4j
from graph.settings import Settings
from queries.alerts import detect_and_store
from queries.detect import CYPHER as RULES_CYPHER
from queries.detect import RULES, run_detection
from queries.score import format_scores, key_of, load_truth, score_alerts

# The graph read of each rule and the parameters it needs besides $as_of / $person_id.
PROFILE_QUERIES = {code: code.lower() for code in RULES}


def _params(settings: Settings, code: str, as_of: date) -> dict[str, Any]:
    ds = settings.detection
    extra: dict[str, dict[str, Any]] = {
        "CL2": {"min_overlap_days": ds.cl2_min_overlap_days},
        "CL4": {"roles": ["项目负责人", "技术负责人"]},
        "CL5": {"min_shared_months": ds.cl5_min_shared_months},
        "TR1": {"min_moves": ds.tr1_min_moves, "window_days": ds.tr1_window_days},
        "TR2": {"start_before_days": ds.tr2_start_before_days, "end_after_days": ds.tr2_end_after_days},
        "TR3": {"min_persons": ds.tr3_min_persons, "window_days": ds.tr3_window_days},
        "TR4": {"max_stay_days": ds.tr4_max_stay_days},
        "LK3": {"legal_rep_links": ds.lk3_link_legal_rep, "unit_ids": None},
        "QA1": {"a_staff": ds.qa1_grade_a_staff, "a_registered": ds.qa1_grade_a_registered,
                "b_staff": ds.qa1_grade_b_staff, "b_registered": ds.qa1_grade_b_registered},
    }
    return {"as_of": as_of, "person_id": None, **extra.get(code, {})}


def profile(driver: Any, settings: Settings, code: str, as_of: date) -> dict[str, Any]:
    """PROFILE one rule's query: total db hits and rows / db hits per operator (plan order)."""
    res = driver.execute_query("PROFILE " + RULES_CYPHER.load(PROFILE_QUERIES[code]), _params(settings, code, as_of),
                               database_=settings.neo4j_database)
    ops: list[dict[str, Any]] = []

    def walk(plan: dict[str, Any], depth: int) -> None:
        ops.append({"depth": depth, "operator": plan["operatorType"].split("@")[0],
                    "rows": plan.get("rows", 0), "db_hits": plan.get("dbHits", 0),
                    "details": str(plan.get("args", {}).get("Details", ""))[:90]})
        for child in plan.get("children", []):
            walk(child, depth + 1)

    walk(res.summary.profile, 0)
    return {"rule": code, "db_hits": sum(o["db_hits"] for o in ops), "operators": ops}


def _jvm_peak_kb(settings: Settings) -> int | None:
    pid = ManagedNeo4j(settings).pid() if settings.managed else None
    if not pid:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=["small", "national"], default="small")
    ap.add_argument("--sample", type=Path, required=True, help="sample folder (generated if missing)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-load", action="store_true", help="the sample is loaded already")
    ap.add_argument("--fast-load", action="store_true",
                    help="load with bench/fastload.py (bulk CREATE, no validation) instead of the real ingest")
    ap.add_argument("--persons", type=int, default=50, help="persons for the --person latency")
    ap.add_argument("--no-pandas", action="store_true")
    ap.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = ap.parse_args(argv)

    settings = Settings()
    if not (args.sample / "sample_meta.json").exists():
        from ingest.sample import generate

        t0 = time.perf_counter()
        generate(args.sample, args.scale, args.seed)
        print(f"generated {args.scale} sample in {time.perf_counter() - t0:.1f} s -> {args.sample}")
    meta = json.loads((args.sample / "sample_meta.json").read_text(encoding="utf-8"))
    as_of = date.fromisoformat(meta["as_of"])
    driver = connect(settings)
    out: dict[str, Any] = {"scale": meta.get("scale", args.scale), "as_of": as_of.isoformat(), "counts": meta.get("counts")}
    try:
        if not args.no_load:
            from ingest.loader import load_folder

            with driver.session(database=settings.neo4j_database) as s:
                s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
            t0 = time.perf_counter()
            if args.fast_load:
                from bench.fastload import fast_load
                from graph.schema import init_schema

                init_schema(driver, settings)
                counts = fast_load(driver, settings, args.sample)
                out["load_s"] = round(time.perf_counter() - t0, 1)
                print(f"bulk-loaded {sum(counts.values())} rows (bench/fastload.py) in {out['load_s']} s")
            else:
                rep = load_folder(driver, settings, args.sample, progress=True)
                out["load_s"] = round(time.perf_counter() - t0, 1)
                print(f"loaded {rep.loaded} rows ({rep.rejected} rejected) in {out['load_s']} s")

        cold: dict[str, float] = {}
        warm: dict[str, float] = {}
        t0 = time.perf_counter()
        run_detection(driver, settings, as_of, timings=cold)
        out["cold_total_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        alerts = run_detection(driver, settings, as_of, timings=warm)
        out["warm_total_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        detect_and_store(driver, settings, as_of)
        out["stored_total_s"] = round(time.perf_counter() - t0, 2)
        out["alerts"] = len(alerts)
        out["per_rule_s"] = {c: {"cold": round(cold[c], 3), "warm": round(warm[c], 3)} for c in RULES}
        print(f"\n{'rule':<5} {'cold s':>8} {'warm s':>8} {'alerts':>7}")
        for c in RULES:
            n = sum(1 for a in alerts if a.rule == c)
            print(f"{c:<5} {cold[c]:>8.3f} {warm[c]:>8.3f} {n:>7}")
        print(f"total cold {out['cold_total_s']} s, warm {out['warm_total_s']} s, "
              f"with storing alerts {out['stored_total_s']} s ({len(alerts)} alerts)")

        slowest = max(warm, key=lambda c: warm[c])
        prof = profile(driver, settings, slowest, as_of)
        out["profile"] = prof
        print(f"\nPROFILE of the slowest rule {slowest}: {prof['db_hits']} db hits")
        for o in prof["operators"]:
            print(f"  {'  ' * o['depth']}{o['operator']:<28} rows {o['rows']:>9}  db hits {o['db_hits']:>9}  {o['details']}")

        pids = sorted({p for a in alerts for p in a.person_ids})
        rows = driver.execute_query("MATCH (p:Person) RETURN p.person_id AS id ORDER BY id LIMIT 2000",
                                    database_=settings.neo4j_database).records
        pool = [r["id"] for r in rows]
        rnd = random.Random(7)
        chosen = rnd.sample(pids, min(len(pids), args.persons // 2))
        chosen += rnd.sample(pool, min(len(pool), args.persons - len(chosen)))
        lat = []
        for pid in chosen:
            t0 = time.perf_counter()
            run_detection(driver, settings, as_of, person_id=pid)
            lat.append((time.perf_counter() - t0) * 1000)
        lat.sort()
        out["person_ms"] = {"n": len(lat), "p50": round(statistics.median(lat), 1),
                            "p95": round(lat[int(0.95 * (len(lat) - 1))], 1), "max": round(lat[-1], 1)}
        print(f"\n--person latency over {len(lat)} persons (all person rules): p50 {out['person_ms']['p50']} ms, "
              f"p95 {out['person_ms']['p95']} ms, max {out['person_ms']['max']} ms")

        truth_path = args.sample / "ground_truth.jsonl"
        got = [a.to_json() for a in alerts]
        if truth_path.exists():
            scores = score_alerts(got, load_truth(truth_path))
            out["precision_recall"] = {c: [round(s.precision, 3), round(s.recall, 3)] for c, s in scores.items()}
            print("\n" + format_scores(scores))

        if not args.no_pandas:
            from bench.detect_pandas import detect as pandas_detect
            from bench.detect_pandas import read_frames

            # Parsing the CSVs apart from the rules; the rules run twice (cold: first run in this process).
            t0 = time.perf_counter()
            frames = read_frames(args.sample)
            parse_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            pkeys = pandas_detect(args.sample, as_of, frames)
            cold_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            pandas_detect(args.sample, as_of, frames)
            warm_s = time.perf_counter() - t0
            same = pkeys == {key_of(a) for a in got}
            out["pandas"] = {"parse_csv_s": round(parse_s, 2), "rules_cold_s": round(cold_s, 2),
                             "rules_warm_s": round(warm_s, 2), "same_keys": same,
                             "rules_cold_over_cypher_cold": round(cold_s / out["cold_total_s"], 2),
                             "rules_warm_over_cypher_warm": round(warm_s / out["warm_total_s"], 2),
                             "with_parsing_over_cypher_cold": round((parse_s + cold_s) / out["cold_total_s"], 2)}
            print(f"\npandas over the CSVs: parsing {parse_s:.2f} s, rules cold {cold_s:.2f} s / warm {warm_s:.2f} s; "
                  f"Cypher (data already in the graph) cold {out['cold_total_s']:.2f} s / warm {out['warm_total_s']:.2f} s. "
                  f"pandas / Cypher, rules only: cold {cold_s / out['cold_total_s']:.2f}, warm {warm_s / out['warm_total_s']:.2f}; "
                  f"pandas with parsing / Cypher cold {(parse_s + cold_s) / out['cold_total_s']:.2f}. Same alert keys: {same}")
    finally:
        driver.close()
    out["peak_rss_mb_python"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    jvm = _jvm_peak_kb(settings)
    out["peak_rss_mb_neo4j"] = round(jvm / 1024, 1) if jvm else None
    print(f"peak memory: python {out['peak_rss_mb_python']} MB, neo4j {out['peak_rss_mb_neo4j']} MB")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
