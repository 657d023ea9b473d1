"""Ingest benchmark: the bulk path, the transactional path and a naive loader, side by side in one run.

    python -m bench.ingest [--scales small,regional,national] [--seed 1] [--naive-rows N] [--reps R] [--json OUT]

Per scale: the sample folder is generated (`plantalent sample`, in a subprocess): small (9k rows) and
regional (~70k rows) as their `variants/contract` copy, the contract's formats (GBK and UTF-8-with-BOM
CSVs with Chinese headers, XLSX sheets); national (3.1M rows) as the UTF-8 CSVs. A private managed Neo4j
(temporary home, free port) serves it. Every loader then fills an empty store, each in its own process
(so the peak memory reported is its own), on a warm server (after any restart a warm-up load runs
first, untimed), in an order that alternates between repetitions:

- naive: the plain baseline. Rows are read, validated and turned into parameters first (untimed), the
  external organisations created (untimed), then each row is written by its file's MERGE statement
  (ingest/writers/<file>.cypher, on an indexed key) in its own transaction, nothing else; the rate is
  rows written / time of those writes. Above --naive-rows, a subset: the first rows of each file in
  proportion, closed under references (all units; rows whose person/project/application is kept).
- transactional: `ingest.loader.load_folder`, end to end (reading and validation included).
- bulk: `ingest.bulk.bulk_load`, end to end (reading, validation, CSV, importer, server restart,
  schema and index build).

Also measured apart: reading + validation alone (the Python share of both real paths), Neo4j's CPU
seconds during each load, the importer's peak RSS, where the bulk load's time went and the
transactional load's time per file.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import monthly
from graph.db import batched, connect
from graph.schema import init_schema
from graph.server import ManagedNeo4j
from graph.settings import Settings
from ingest.bulk import bulk_load
from ingest.bulk_read import read_all, workers_of
from ingest.errors import ErrorReport
from ingest.image import StoreImage
from ingest.loader import LoadReport, load_folder, new_load_id, preflight
from ingest.validate import Known, Validator
from ingest.writers import CYPHER as WRITERS_CYPHER
from ingest.writers import org_row, to_row

PATHS = ("naive", "transactional", "bulk")
NAIVE_DEFAULT = {"small": 10_000, "regional": 10_000, "national": 10_000}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def proc_mem(pid: int | None) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a process in MB, from /proc."""
    out: dict[str, float] = {}
    if not pid:
        return out
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                out[key] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    return out


def proc_cpu(pid: int | None) -> float:
    """User + system CPU seconds of a process so far."""
    if not pid:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wipe(driver: Any, settings: Settings) -> None:
    with driver.session(database=settings.neo4j_database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


# ---- the child processes: one loader each ------------------------------------------------------------

def prepare(folder: Path) -> list[tuple[str, str, list[dict[str, Any]], list[dict[str, Any]]]]:
    """Every file's accepted rows as write parameters, validated as the loaders do against an empty graph:
    (file name, file, rows, new external orgs) per chunk, in load order."""
    out = []
    known = Known()
    for source in preflight(folder):
        validator = Validator(source, known, lambda kind, ids: set())
        for chunk in batched(source.rows(), 5000):
            checked = validator.check(chunk)
            out.append((source.spec.name, source.file,
                        [to_row(source.spec.name, line, values) for line, values in checked.rows],
                        [org_row(o) for o in checked.orgs]))
    return out


def _refs(name: str, row: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, key) of what a row links to that a subset may leave out."""
    p = row["p"]
    if name in ("registrations", "employments", "social_insurance", "experts"):
        return [("person", p["person_id"])]
    if name == "project_members":
        return [("person", row["person_id"]), ("project", row["project_id"])]
    if name == "application_staff":
        return [("application", row["application_id"]), ("person", row["person_id"])]
    if name == "awards":
        return ([("project", p["project_id"])] if p["project_id"] else []) + [("person", x) for x in p["person_ids"]]
    if name == "violations" and p["subject_type"] == "个人":
        return [("person", p["subject_id"])]
    return []


_KEY_KIND = {"persons": "person", "projects": "project", "applications": "application"}


def subset(chunks: list[Any], limit: int) -> tuple[list[tuple[str, str, dict[str, Any]]], int]:
    """The rows the naive loader writes: all, or (above ``limit``) the first rows of each file in proportion,
    closed under references; and the number of rows prepared."""
    total = sum(len(rows) for _, _, rows, _ in chunks)
    per_file: dict[str, int] = {}
    for name, _, rows, _ in chunks:
        per_file[name] = per_file.get(name, 0) + len(rows)
    kept: dict[str, set[str]] = {"person": set(), "project": set(), "application": set()}
    taken: dict[str, int] = {}
    out = []
    for name, file, rows, _ in chunks:
        quota = per_file[name] if limit >= total or name == "units" else math.ceil(limit * per_file[name] / total)
        for row in rows:
            if taken.get(name, 0) >= quota:
                break
            if any(key not in kept[kind] for kind, key in _refs(name, row)):
                continue
            if name in _KEY_KIND:
                kept[_KEY_KIND[name]].add(row["k"])
            taken[name] = taken.get(name, 0) + 1
            out.append((name, file, row))
    return out, total


def run_naive(driver: Any, settings: Settings, folder: Path, limit: int) -> dict[str, Any]:
    chunks = prepare(folder)
    rows, total = subset(chunks, limit)
    load_id = new_load_id()
    db = settings.neo4j_database
    orgs = [(file, o) for _, file, _, batch_orgs in chunks for o in batch_orgs]
    for file, group in ((f, [o for ff, o in orgs if ff == f]) for f in dict.fromkeys(f for f, _ in orgs)):
        driver.execute_query(WRITERS_CYPHER.load("orgs"), orgs=group, file=file, load_id=load_id,
                             loaded_at=datetime.now(UTC), database_=db)

    def write_one(tx: Any, query: str, file: str, row: dict[str, Any]) -> None:
        tx.run(query, rows=[row], file=file, load_id=load_id, loaded_at=datetime.now(UTC)).consume()

    began = time.monotonic()
    with driver.session(database=db) as session:
        for name, file, row in rows:
            session.execute_write(write_one, WRITERS_CYPHER.load(name), file, row)
    seconds = time.monotonic() - began
    return {"rows": len(rows), "seconds": round(seconds, 2), "rows_per_s": round(len(rows) / seconds, 1),
            "subset": len(rows) < total, "folder_rows": total}


def run_validate(folder: Path) -> dict[str, Any]:
    began = time.monotonic()
    chunks = prepare(folder)
    seconds = time.monotonic() - began
    rows = sum(len(r) for _, _, r, _ in chunks)
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds, 1)}


def run_bulk_stage(folder: Path, work: Path, workers: int) -> dict[str, Any]:
    """The bulk path's first stage alone (read, validate, write the importer's CSV files; no Neo4j), with
    ``workers`` reading processes; wall and CPU seconds (the workers' included)."""
    out = work / f"stage-{workers}"
    out.mkdir(parents=True)
    try:
        began, cpu = time.monotonic(), os.times()
        sources = preflight(folder)
        image = StoreImage(out, new_load_id(), datetime.now(UTC).isoformat())
        report = LoadReport(load_id=image.load_id)
        read_all(sources, image, ErrorReport(None), report, Settings().batch_size, workers, progress=False)
        image.close()
        seconds, end = time.monotonic() - began, os.times()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    cpu_s = sum(end[:4]) - sum(cpu[:4])
    return {"workers": workers, "rows": report.rows, "seconds": round(seconds, 2),
            "rows_per_s": round(report.rows / seconds, 1), "cpu_s": round(cpu_s, 1)}


def child(path: str, folder: Path, limit: int, work: Path) -> dict[str, Any]:
    settings = Settings()
    if path == "validate":
        result = run_validate(folder)
        # The bulk path's first stage alone, in one process and in one per core (same files, same run).
        result["bulk_stage"] = [run_bulk_stage(folder, work, n) for n in dict.fromkeys((1, workers_of(0)))]
    else:
        driver = connect(settings, start=False)
        try:
            if path == "naive":
                result = run_naive(driver, settings, folder, limit)
            elif path == "transactional":
                began = time.monotonic()
                report = load_folder(driver, settings, folder, errors_path=work / "errors-tx.csv")
                seconds = time.monotonic() - began
                result = {"rows": report.rows, "rejected": report.rejected, "seconds": round(seconds, 2),
                          "rows_per_s": round(report.rows / seconds, 1), "index_seconds": report.index_seconds,
                          "per_file": {k: f.seconds for k, f in report.per_file.items()}}
            else:
                began = time.monotonic()
                bulk = bulk_load(driver, settings, folder, errors_path=work / "errors-bulk.csv")
                seconds = time.monotonic() - began
                result = {"rows": bulk.rows, "rejected": bulk.rejected, "seconds": round(seconds, 2),
                          "rows_per_s": round(bulk.rows / seconds, 1), "timings": bulk.timings,
                          "importer_stages": bulk.importer_stages}
        finally:
            driver.close()
    # VmHWM, not ru_maxrss: that one keeps the parent's RSS from before this process's exec.
    result["python_peak_rss_mb"] = proc_mem(os.getpid()).get("VmHWM")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    if children.ru_maxrss:
        result["importer_peak_rss_mb"] = round(children.ru_maxrss / 1024, 1)
        result["importer_cpu_s"] = round(children.ru_utime + children.ru_stime, 1)
    return result


# ---- the parent: per scale, a server and the loaders in turn ----------------------------------------

class Bench:
    """One scale's private server and the loaders run against it."""

    def __init__(self, work: Path, folder: Path, scale: str, limit: int) -> None:
        self.work, self.folder, self.scale, self.limit = work, folder, scale, limit
        env = {"PLANTALENT_HOME": str(work / "home"), "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}",
               "PLANTALENT_MANAGE_NEO4J": "true"}
        self.env = {**os.environ, **env}
        self.settings = Settings(**env)  # type: ignore[arg-type]
        self.server = ManagedNeo4j(self.settings)
        self.warm_pid: int | None = None

    def ready(self) -> None:
        """An empty store on a warm server: a restarted (or new) server first runs an untimed warm-up load."""
        self.server.start()
        driver = connect(self.settings, start=False)
        try:
            init_schema(driver, self.settings)
            wipe(driver, self.settings)
            if self.server.pid() != self.warm_pid:
                warm = self.work / "warm"
                if not warm.exists():
                    subprocess.run([str(Path(sys.executable).parent / "plantalent"), "sample", "--out", str(warm),
                                    "--scale", "small", "--seed", "2", "--no-check"], check=True,
                                   stdout=subprocess.DEVNULL)
                load_folder(driver, self.settings, warm)
                wipe(driver, self.settings)
                run_naive(driver, self.settings, warm, 500)
                wipe(driver, self.settings)
                self.warm_pid = self.server.pid()
        finally:
            driver.close()

    def reset(self) -> None:
        """Empty the store the fast way for a big graph: stop, delete the store, start (then warm up)."""
        self.server.stop()
        for kind in ("databases", "transactions"):
            shutil.rmtree(self.server.data_dir / kind / self.settings.neo4j_database, ignore_errors=True)
        self.ready()

    def run(self, path: str) -> dict[str, Any]:
        if path != "validate":
            self.ready()
        pid = self.server.pid()
        cpu = proc_cpu(pid)
        proc = subprocess.run([sys.executable, "-m", "bench.ingest", "--child", path, "--data", str(self.folder),
                               "--naive-rows", str(self.limit), "--work", str(self.work)],
                              env=self.env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"{path} failed:\n{proc.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
        if path in ("naive", "transactional"):
            result["neo4j_cpu_s"] = round(proc_cpu(pid) - cpu, 1)
        result["neo4j_mem_mb"] = proc_mem(self.server.pid())
        if path in ("transactional", "bulk") and result["rows"] > 500_000:
            self.reset()  # deleting millions of nodes by Cypher would take minutes
        return result


def make_folder(work: Path, scale: str, seed: int) -> tuple[Path, float]:
    out = work / f"sample-{scale}"
    began = time.monotonic()
    cmd = [str(Path(sys.executable).parent / "plantalent"), "sample", "--out", str(out), "--scale", scale,
           "--seed", str(seed), "--no-check"]
    if scale != "national":
        cmd.append("--variants")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return (out / "variants" / "contract" if scale != "national" else out), time.monotonic() - began


def bench_scale(work: Path, scale: str, folder: Path, limit: int, reps: int, first: int) -> dict[str, Any]:
    bench = Bench(work, folder, scale, limit)
    result: dict[str, Any] = {"scale": scale, "data": str(folder), "runs": {p: [] for p in PATHS},
                              "loadavg": [os.getloadavg()[0]]}
    try:
        result["validate"] = bench.run("validate")
        for rep in range(reps):
            order = PATHS if (rep + first) % 2 == 0 else tuple(reversed(PATHS))
            result.setdefault("orders", []).append(list(order))
            for path in order:
                result["runs"][path].append(bench.run(path))
    finally:
        bench.server.stop()
        shutil.rmtree(work / "home", ignore_errors=True)
    result["loadavg"].append(os.getloadavg()[0])
    best = {p: min(runs, key=lambda r: r["seconds"] / max(r["rows"], 1)) for p, runs in result["runs"].items()}
    result["best"] = best
    naive = best["naive"]["rows_per_s"]
    result["ratio_vs_naive"] = {p: round(best[p]["rows_per_s"] / naive, 1) for p in ("transactional", "bulk")}
    return result


def report(r: dict[str, Any]) -> None:
    best, v = r["best"], r["validate"]
    print(f"\n== {r['scale']}: {best['bulk']['rows']:,} rows ({r['data']}); order per repetition: "
          + " | ".join(" → ".join(o) for o in r["orders"]) + f"; load average {r['loadavg'][0]:.1f} → {r['loadavg'][1]:.1f}")
    print(f"{'path':<14}{'rows':>10}{'seconds':>9}{'rows/s':>9}{'× naive':>9}{'py peak MB':>12}{'neo4j CPU s':>13}")
    for path in PATHS:
        b = best[path]
        ratio = "1.0" if path == "naive" else f"{r['ratio_vs_naive'][path]}"
        print(f"{path:<14}{b['rows']:>10,}{b['seconds']:>9.1f}{b['rows_per_s']:>9,.0f}{ratio:>9}"
              f"{b['python_peak_rss_mb']:>12}{b.get('neo4j_cpu_s', '-'):>13}")
    n = best["naive"]
    print("naive: plain (one MERGE per row in its own transaction on a warm server, writes timed only), "
          + (f"subset of {n['rows']:,} of {n['folder_rows']:,} rows (closed under references)" if n["subset"]
             else "every row"))
    print(f"reading + validation alone (Python, both paths): {v['seconds']:.1f} s = {v['rows_per_s']:,.0f} rows/s, "
          f"peak RSS {v['python_peak_rss_mb']} MB")
    print("bulk first stage alone (read, validate, write CSV; no Neo4j): " + "; ".join(
        f"{st['workers']} process{'es' if st['workers'] > 1 else ''} {st['seconds']:.1f} s = {st['rows_per_s']:,.0f} rows/s "
        f"({st['cpu_s']:.1f} CPU-s)" for st in v.get("bulk_stage", [])))
    t = best["bulk"]["timings"]
    stage = t.get("validate_and_write_csv") or 0
    print(f"bulk breakdown (s; validate and write CSV = {best['bulk']['rows'] / max(stage, 1e-9):,.0f} rows/s): "
          + ", ".join(f"{k.replace('_', ' ')} {val:.1f}" for k, val in t.items())
          + f"; importer peak RSS {best['bulk'].get('importer_peak_rss_mb')} MB, CPU {best['bulk'].get('importer_cpu_s')} s;"
          f" neo4j after: {best['bulk']['neo4j_mem_mb']}")
    print("the importer's own stages (s): "
          + ", ".join(f"{k} {val:.1f}" for k, val in best["bulk"].get("importer_stages", {}).items()))
    tx = best["transactional"]
    print("transactional per file (s): " + ", ".join(f"{k} {s:.1f}" for k, s in tx["per_file"].items())
          + (f"; indexes built at the end {tx['index_seconds']:.1f}" if tx["index_seconds"] else "")
          + f"; neo4j: {tx['neo4j_mem_mb']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="small,regional", help="comma-separated: small, regional, national")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=1, help="repetitions per scale (the order alternates)")
    parser.add_argument("--naive-rows", type=int, help="rows for the naive loader (default 10,000; all when fewer)")
    parser.add_argument("--data", type=Path, help="(with one scale) use this folder instead of generating one")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--child", choices=[*PATHS, "validate"], help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--monthly", action="store_true",
                        help="then, per scale, a monthly extract (1%% changed) into the loaded graph and the refresh "
                             "after it, against reloading and refreshing everything (bench/monthly.py)")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.data, args.naive_rows, args.work)))
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    results = []
    try:
        for i, scale in enumerate(s.strip() for s in args.scales.split(",")):
            folder, gen = (args.data, 0.0) if args.data else make_folder(work, scale, args.seed)
            limit = args.naive_rows or NAIVE_DEFAULT[scale]
            r = bench_scale(work, scale, folder, limit, args.reps, first=i)
            r["generate_seconds"] = round(gen, 1)
            results.append(r)
            report(r)
            if args.monthly:
                r["monthly"] = monthly.measure(folder, args.seed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps({"cpus": os.cpu_count(), "scales": results}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
