"""Loopback load test of the web API: expert search, portrait and alert list.

    python -m bench.api --base-url http://127.0.0.1:8000 --token TOKEN --concurrency 50 --requests 500 --seconds 30

For each endpoint: a sequential warm run (latency without queueing), then a concurrent run bounded
by --requests and --seconds; req/s, p50 and p95. In the same run it calls the underlying function
(queries.experts.search_experts, tagging.portrait.get_portrait, queries.alerts.list_alerts)
directly against the same Neo4j (Settings from the environment) and reports API time / function
time: what HTTP, auth, masking and audit cost on top of the query. The token should be an
inspector's or admin's (alerts need it). Only loopback URLs are accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


async def load(client: httpx.AsyncClient, path: str, concurrency: int, requests: int, seconds: float) -> dict[str, Any]:
    """Up to ``requests`` GETs of ``path`` with ``concurrency`` in flight, stopping after ``seconds``."""
    lat: list[float] = []
    errors: dict[str, int] = {}
    issued = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal issued
        while issued < requests and time.perf_counter() < deadline:
            issued += 1
            t = time.perf_counter()
            try:
                r = await client.get(path)
                code = str(r.status_code)
            except httpx.HTTPError as exc:
                code = type(exc).__name__
            lat.append(time.perf_counter() - t)
            if code != "200":
                errors[code] = errors.get(code, 0) + 1

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - began
    return {"requests": len(lat), "seconds": round(wall, 2), "rps": round(len(lat) / wall, 1) if wall else 0.0,
            "p50_ms": round(pct(lat, 50) * 1000, 1), "p95_ms": round(pct(lat, 95) * 1000, 1), "errors": errors}


def time_function(fn: Callable[[], Any], n: int) -> dict[str, float]:
    fn()  # warm caches as the API run did
    lat = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        lat.append(time.perf_counter() - t)
    return {"p50_ms": round(statistics.median(lat) * 1000, 1), "p95_ms": round(pct(lat, 95) * 1000, 1)}


def direct_calls(q: str) -> tuple[dict[str, Callable[[], Any]], str | None]:
    """The functions behind the three endpoints, bound to a driver of our own."""
    from graph.db import connect, read
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
    rows = read(driver, settings, "MATCH (p:Person)-[:IS_EXPERT]->(:Expert) RETURN p.person_id AS pid ORDER BY pid LIMIT 1")
    pid = rows[0]["pid"] if rows else None
    return {
        "search": lambda: search_experts(driver, settings, q=q, page=1, page_size=20, embedder=embedder, index=index),
        "portrait": lambda: get_portrait(driver, settings, pid, unmask=True) if pid else None,
        "alerts": lambda: list_alerts(driver, settings, page=1, page_size=50),
    }, pid


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    funcs, pid = ({}, args.person_id) if args.no_direct else direct_calls(args.q)
    pid = args.person_id or pid
    paths = {"search": f"/api/experts/search?q={quote(args.q)}&page_size=20", "alerts": "/api/alerts?page_size=50"}
    if pid:
        paths["portrait"] = f"/api/persons/{quote(pid)}"
    headers = {"Authorization": f"Bearer {args.token}"}
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    out: dict[str, Any] = {"base_url": args.base_url, "concurrency": args.concurrency, "endpoints": {},
                           "loadavg_start": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    async with httpx.AsyncClient(base_url=args.base_url, timeout=30) as client:
        # The app warms its models in the background: measure the warmed service (hybrid search).
        began = time.perf_counter()
        while time.perf_counter() - began < 600:
            health = (await client.get("/api/health")).json()
            if health.get("warmup") in (None, "ready"):
                break
            await asyncio.sleep(1)
        out["waited_for_warmup_s"] = round(time.perf_counter() - began, 1)
        out["embedder"] = health.get("embedder")
    for name, path in paths.items():
        # A fresh pool per phase: uvicorn closes idle keep-alive connections after 5 s, and the
        # direct timing between phases would otherwise leave the client reusing dead sockets.
        async with httpx.AsyncClient(base_url=args.base_url, headers=headers, limits=limits, timeout=120) as client:
            seq = await load(client, path, 1, args.sequential, args.seconds)
        async with httpx.AsyncClient(base_url=args.base_url, headers=headers, limits=limits, timeout=120) as client:
            conc = await load(client, path, args.concurrency, args.requests, args.seconds)
        entry: dict[str, Any] = {"path": path, "sequential": seq, "concurrent": conc}
        if name in funcs:
            fn = await asyncio.to_thread(time_function, funcs[name], args.sequential)
            entry["function"] = fn
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
    ap.add_argument("--q", default="总体规划", help="search text")
    ap.add_argument("--person-id", default=None, help="portrait to fetch (default: first expert)")
    ap.add_argument("--no-direct", action="store_true", help="skip the direct function timing")
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
    print(f"{'endpoint':10} {'seq p50':>9} {'fn p50':>9} {'ratio':>6} | {'conc':>5} {'n':>6} {'req/s':>8} {'p50':>8} {'p95':>8}  errors")
    for name, e in result["endpoints"].items():
        c, s, f = e["concurrent"], e["sequential"], e.get("function", {})
        print(f"{name:10} {s['p50_ms']:>7.1f}ms {f.get('p50_ms', float('nan')):>7.1f}ms {e.get('api_over_function_p50') or float('nan'):>6.2f} | "
              f"{result['concurrency']:>5} {c['requests']:>6} {c['rps']:>8.1f} {c['p50_ms']:>6.1f}ms {c['p95_ms']:>6.1f}ms  {c['errors'] or ''}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
