"""Loopback load test of the web API: expert search, portrait and alert list.

    python -m bench.api --base-url http://127.0.0.1:8000 --token TOKEN --concurrency 50 --requests 5000 --seconds 20 [--think-ms 1000]

For each endpoint, every phase bounded by --requests and --seconds:
- sequential: one client, each answer computed (``Cache-Control: no-cache``): latency without queueing;
- computed: --concurrency clients (always that many requests in flight), each answer computed: the
  baseline, what the service does without its response cache;
- served: the same clients as any browser asks, so answers the app kept for the current graph version
  are served again (the share is printed as "kept");
- with --think-ms, also served to users pausing that long on average between requests.
Clients do not repeat one request: searches cycle through the taxonomy's specialties and synonyms
(--queries of them), portraits through --persons persons drawn with --seed (half experts, half other
persons), alert lists through the rules. In the same run it calls the underlying function
(queries.experts.search_experts, tagging.portrait.get_portrait, queries.alerts.list_alerts) directly
over the same requests against the same Neo4j (Settings from the environment) and reports sequential
API time / function time: what HTTP, auth, masking and audit cost on top of the query. The token
should be an inspector's or admin's (alerts need it; their portrait views are unmasked and audited,
the costliest case). The load runs on aiohttp: httpx's client took ~6 ms of CPU per request at 50
connections, as much as the service it measured on a 2-core machine. Only loopback URLs are accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


async def load(session: aiohttp.ClientSession, paths: list[str], concurrency: int, requests: int, seconds: float,
               think_s: float = 0.0, fresh: bool = False) -> dict[str, Any]:
    """Up to ``requests`` GETs, cycling through ``paths``, from ``concurrency`` clients, stopping
    after ``seconds``. Each client waits ``think_s`` (exponentially distributed, seeded) between
    its requests; 0 keeps ``concurrency`` requests in flight all the time. ``fresh`` asks for
    answers computed again (``Cache-Control: no-cache``)."""
    lat: list[float] = []
    cycle = itertools.cycle(paths)
    errors: dict[str, int] = {}
    kept = 0
    issued = 0
    deadline = time.perf_counter() + seconds
    headers = {"Cache-Control": "no-cache"} if fresh else {}
    rng = random.Random(0)

    async def worker() -> None:
        nonlocal issued, kept
        while issued < requests and time.perf_counter() < deadline:
            if think_s:
                await asyncio.sleep(rng.expovariate(1 / think_s))
            issued += 1
            t = time.perf_counter()
            try:
                async with session.get(next(cycle), headers=headers) as r:
                    await r.read()
                    code = str(r.status)
                    kept += r.headers.get("X-Cache") == "hit"
            except (TimeoutError, aiohttp.ClientError) as exc:
                code = type(exc).__name__
            lat.append(time.perf_counter() - t)
            if code != "200":
                errors[code] = errors.get(code, 0) + 1

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - began
    return {"requests": len(lat), "seconds": round(wall, 2), "rps": round(len(lat) / wall, 1) if wall else 0.0,
            "p50_ms": round(pct(lat, 50) * 1000, 1), "p95_ms": round(pct(lat, 95) * 1000, 1),
            "kept": round(kept / len(lat), 3) if lat else 0.0, "errors": errors}


def time_function(fns: list[Callable[[], Any]], n: int) -> dict[str, float]:
    """p50/p95 of ``n`` calls cycling through ``fns`` (after one warm pass of the first ``n``)."""
    calls = list(itertools.islice(itertools.cycle(fns), n))
    for fn in calls:
        fn()  # warm caches as the API run did
    lat = []
    for fn in calls:
        t = time.perf_counter()
        fn()
        lat.append(time.perf_counter() - t)
    return {"p50_ms": round(statistics.median(lat) * 1000, 1), "p95_ms": round(pct(lat, 95) * 1000, 1)}


def search_texts(n: int, seed: int) -> list[str]:
    """``n`` search texts: taxonomy specialties and their synonyms, in a seeded order."""
    from tagging.nlp import load_taxonomy

    words = sorted({w for t in load_taxonomy().specialties() for w in (t.label, *t.synonyms)})
    random.Random(seed).shuffle(words)
    return words[:n]


def pick_persons(n: int, seed: int) -> list[str]:
    """``n`` person IDs drawn with ``seed``: half experts, half any persons."""
    from graph.db import connect, read
    from graph.settings import Settings

    settings = Settings()
    driver = connect(settings, start=False)
    try:
        experts = [r["pid"] for r in read(driver, settings, "MATCH (p:Person)-[:IS_EXPERT]->(:Expert) RETURN DISTINCT p.person_id AS pid ORDER BY pid")]
        everyone = read(driver, settings, "MATCH (p:Person) RETURN collect(p.person_id) AS ids")[0]["ids"]
    finally:
        driver.close()
    rng = random.Random(seed)
    chosen = rng.sample(experts, min(len(experts), n // 2)) + rng.sample(sorted(everyone), min(len(everyone), n - n // 2))
    rng.shuffle(chosen)
    return chosen


def direct_calls(queries: list[str], persons: list[str]) -> dict[str, list[Callable[[], Any]]]:
    """The functions behind the three endpoints over the same requests, bound to a driver of our own."""
    from graph.db import connect
    from graph.settings import Settings
    from queries.alerts import list_alerts
    from queries.experts import load_index, search_experts
    from tagging.portrait import get_portrait

    settings = Settings()
    driver = connect(settings, start=False)
    # The app searches with the configured embedder when it loads; time the function the same way.
    embedder = None
    try:
        from tagging.embed import load_embedder, use_query_threads

        embedder = load_embedder(settings)
        use_query_threads(settings)  # as the app does
    except Exception as exc:  # noqa: BLE001 - the app then searches without it too
        print(f"(no embedder for the direct search: {exc})", file=sys.stderr)
    index = load_index(driver, settings)  # the app keeps one too (ExpertIndexCache)

    def search(q: str) -> Callable[[], Any]:
        return lambda: search_experts(driver, settings, q=q, page=1, page_size=20, embedder=embedder, index=index)

    def portrait(pid: str) -> Callable[[], Any]:
        return lambda: get_portrait(driver, settings, pid, unmask=True)

    def alerts(rule: str | None) -> Callable[[], Any]:
        return lambda: list_alerts(driver, settings, rule=rule, page=1, page_size=50)

    return {"search": [search(q) for q in queries], "portrait": [portrait(p) for p in persons],
            "alerts": [alerts(r) for r in ALERT_RULES]}


ALERT_RULES: list[str | None] = [None, "CL1", "CL2", "CL3", "CL4", "CL5", "TR1", "TR2", "TR3", "TR4", "LK1", "LK2", "LK3", "QA1"]


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    texts = [args.q] if args.q else search_texts(args.queries, args.seed)
    persons = [args.person_id] if args.person_id else await asyncio.to_thread(pick_persons, args.persons, args.seed)
    funcs = {} if args.no_direct else direct_calls(texts, persons)
    paths = {"search": [f"/api/experts/search?q={quote(q)}&page_size=20" for q in texts],
             "portrait": [f"/api/persons/{quote(p)}" for p in persons],
             "alerts": ["/api/alerts?page_size=50" + (f"&rule={r}" if r else "") for r in ALERT_RULES]}
    headers = {"Authorization": f"Bearer {args.token}"}
    out: dict[str, Any] = {"base_url": args.base_url, "concurrency": args.concurrency, "think_ms": args.think_ms, "endpoints": {},
                           "distinct_requests": {k: len(v) for k, v in paths.items()},
                           "loadavg_start": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    timeout = aiohttp.ClientTimeout(total=120)

    def session(limit: int) -> aiohttp.ClientSession:
        # A fresh pool per phase: uvicorn closes idle keep-alive connections after 5 s, and the
        # direct timing between phases would otherwise leave the client reusing dead sockets.
        return aiohttp.ClientSession(args.base_url, headers=headers, timeout=timeout,
                                     connector=aiohttp.TCPConnector(limit=limit))

    async with aiohttp.ClientSession(args.base_url, timeout=aiohttp.ClientTimeout(total=30)) as client:
        # The app warms its models in the background: measure the warmed service (hybrid search).
        began = time.perf_counter()
        while time.perf_counter() - began < 600:
            async with client.get("/api/health") as r:
                health = await r.json()
            if health.get("warmup") in (None, "ready"):
                break
            await asyncio.sleep(1)
        out["waited_for_warmup_s"] = round(time.perf_counter() - began, 1)
        out["embedder"] = health.get("embedder")
    for name, path in paths.items():
        if name not in args.only.split(","):
            continue
        entry: dict[str, Any] = {"path": path[0]}
        async with session(1) as s:
            entry["sequential"] = await load(s, path, 1, args.sequential, args.seconds, fresh=True)
        async with session(args.concurrency) as s:
            entry["computed"] = await load(s, path, args.concurrency, args.requests, args.seconds, fresh=True)
        async with session(args.concurrency) as s:
            entry["served"] = await load(s, path, args.concurrency, args.requests, args.seconds)
        if args.think_ms:
            async with session(args.concurrency) as s:
                entry["served_thinking"] = await load(s, path, args.concurrency, args.requests, args.seconds,
                                                      args.think_ms / 1000)
        if entry["computed"]["rps"]:
            entry["served_over_computed_rps"] = round(entry["served"]["rps"] / entry["computed"]["rps"], 2)
        if name in funcs:
            fn = await asyncio.to_thread(time_function, funcs[name], args.sequential)
            entry["function"] = fn
            seq = entry["sequential"]
            entry["api_over_function_p50"] = round(seq["p50_ms"] / fn["p50_ms"], 2) if fn["p50_ms"] else None
        out["endpoints"][name] = entry
    out["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-url", default="http://127.0.0.1:8000")
    ap.add_argument("--token", required=True, help="inspector or admin token")
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--requests", type=int, default=500, help="per endpoint, concurrent phase (max 20000)")
    ap.add_argument("--seconds", type=float, default=30.0, help="per endpoint and phase (max 300)")
    ap.add_argument("--sequential", type=int, default=30, help="sequential requests and direct calls per endpoint")
    ap.add_argument("--q", default=None, help="one search text (default: --queries taxonomy terms)")
    ap.add_argument("--queries", type=int, default=60, help="distinct search texts")
    ap.add_argument("--person-id", default=None, help="one portrait to fetch (default: --persons drawn persons)")
    ap.add_argument("--persons", type=int, default=200, help="distinct portraits")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--think-ms", type=float, default=0.0,
                    help="also run the clients as users pausing this long on average between requests")
    ap.add_argument("--no-direct", action="store_true", help="skip the direct function timing")
    ap.add_argument("--only", default="search,portrait,alerts", help="endpoints to load, comma-separated")
    ap.add_argument("--json", action="store_true", help="print JSON only")
    args = ap.parse_args()
    host = urlsplit(args.base_url).hostname or ""
    if host not in LOOPBACK:
        sys.exit(f"refusing {args.base_url}: this load test runs against loopback only")
    args.concurrency = max(1, min(args.concurrency, 200))
    args.requests = max(1, min(args.requests, 20000))
    args.seconds = max(1.0, min(args.seconds, 300.0))
    args.sequential = max(3, min(args.sequential, 500))
    result = asyncio.run(main_async(args))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"{'endpoint':10} {'seq p50':>9} {'fn p50':>9} {'ratio':>6} | {'phase':>15} {'n':>6} {'req/s':>8} {'p50':>8} {'p95':>8} {'kept':>5}  errors")
    for name, e in result["endpoints"].items():
        s, f = e["sequential"], e.get("function", {})
        for mode in ("computed", "served", "served_thinking"):
            c = e.get(mode)
            if c is None:
                continue
            label = f"{result['concurrency']} {mode.replace('_thinking', ' think')}"
            print(f"{name:10} {s['p50_ms']:>7.1f}ms {f.get('p50_ms', float('nan')):>7.1f}ms {e.get('api_over_function_p50') or float('nan'):>6.2f} | "
                  f"{label:>15} {c['requests']:>6} {c['rps']:>8.1f} {c['p50_ms']:>6.1f}ms {c['p95_ms']:>6.1f}ms {c['kept']:>5.0%}  {c['errors'] or ''}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
