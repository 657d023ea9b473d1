"""Ingest benchmark: batched loader vs a naive loader (one row per transaction).

    python -m bench.ingest --scale small|national [--data DIR] [--seed 1] [--naive-rows N]

Generates the sample folder (`plantalent sample`, in a subprocess so its memory is not counted)
unless --data is given, starts a private managed Neo4j (temporary home, free port) unless
--external (then NEO4J_URI is used as it is: WIPED, but never started nor stopped), then:

1. naive: an empty database, rows of every file (a bounded subset, proportional per file, when the
   folder is larger than --naive-rows) validated the same way and written one row per transaction
   with the same MERGE statements; rows whose references fall outside the subset are skipped;
2. batched: the database emptied, `ingest.loader.load_folder` on the whole folder.

Prints rows/s of both, their ratio (the naive rate extrapolated from the subset when it was
bounded — said in the output), Python peak RSS (getrusage; --tracemalloc adds the traced Python
heap peak, slower) and the Neo4j server's RSS/peak RSS from /proc.
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
import tracemalloc
from pathlib import Path
from typing import Any

from graph.db import batched, connect
from graph.schema import init_schema
from graph.server import ManagedNeo4j
from graph.settings import Settings
from ingest.loader import CYPHER as LOADER_CYPHER
from ingest.loader import load_folder, new_load_id, preflight
from ingest.validate import Known, Validator
from ingest.writers import org_row, to_row, write_batch

NAIVE_DEFAULT = {"small": 5000, "national": 20000}


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


def synthetic_folder(folder: Path, persons: int) -> Path:
    """A valid folder without the sample generator: ``persons`` persons, each with one registration,
    two employments and two insurance periods (one payer external), over 100 units (~6 rows/person)."""
    import csv
    from datetime import date, timedelta

    from stdnum.cn import ric, uscc

    def make_uscc(n: int) -> str:
        body = f"91330106{n:09d}"
        return body + uscc.calc_check_digit(body)

    folder.mkdir(parents=True, exist_ok=True)
    units = [make_uscc(i) for i in range(100)]

    def write(name: str, header: list[str], rows: Any) -> None:
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)

    write("units", ["unit_id", "name", "province", "unit_type", "grade", "phone"],
          ([u, f"规划设计院{i}", "浙江省", "企业", "甲级" if i % 3 else "乙级", f"0571-8{i:07d}"] for i, u in enumerate(units)))
    ids = []
    for i in range(persons):
        body = f"110101{date(1970, 1, 1) + timedelta(days=i // 900):%Y%m%d}{i % 900 + 100:03d}"
        ids.append(body + ric.calc_check_digit(body + "0"))
    write("persons", ["person_id", "name", "gender", "education", "title", "phone", "email", "civil_servant", "retired", "bio"],
          ([pid, f"人员{i}", "男" if i % 2 else "女", "本科", "工程师", f"138{i:08d}", f"p{i}@example.com", "否", "否",
            "从事国土空间规划编制工作"] for i, pid in enumerate(ids)))
    write("registrations", ["cert_no", "person_id", "unit_id", "valid_from", "valid_to"],
          ([f"R{i:08d}", pid, units[i % 100], "2019-03-01", ""] for i, pid in enumerate(ids)))
    write("employments", ["person_id", "unit_id", "start_date", "end_date", "position"],
          (row for i, pid in enumerate(ids) for row in (
              [pid, units[(i + 1) % 100], "2015-01-01", "2018-12-31", "助理规划师"],
              [pid, units[i % 100], "2019/1/1", "", "规划师"])))
    write("social_insurance", ["person_id", "unit_id", "payer_name", "payer_type", "province", "start_month", "end_month"],
          (row for i, pid in enumerate(ids) for row in (
              [pid, make_uscc(1000 + i % 500), f"人力资源公司{i % 500}", "企业", "浙江", "2015-01", "2018-12"],
              [pid, units[i % 100], "", "企业", "浙江", "2019年1月", ""])))
    return folder


def wipe(driver: Any, settings: Settings) -> None:
    with driver.session(database=settings.neo4j_database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def naive_load(driver: Any, settings: Settings, folder: Path, limit: int) -> dict[str, Any]:
    """Validate a proportional subset of ``limit`` rows and write them one row per transaction."""
    sources = preflight(folder)
    total = sum(s.estimated_rows for s in sources) or 1
    known = Known()

    def lookup(kind: str, ids: list[str]) -> set[str]:
        records = driver.execute_query(LOADER_CYPHER.load(f"exists_{kind}"), ids=ids, database_=settings.neo4j_database).records
        return {r["id"] for r in records}

    load_id = new_load_id()
    written = skipped = read = 0
    began = time.monotonic()
    with driver.session(database=settings.neo4j_database) as session:
        for source in sources:
            quota = total if limit >= total else math.ceil(limit * source.estimated_rows / total)
            validator = Validator(source, known, lookup)
            rows_iter = source.rows()
            taken = 0
            for chunk in batched(rows_iter, 500):
                chunk = chunk[: max(quota - taken, 0)]
                if not chunk:
                    break
                taken += len(chunk)
                read += len(chunk)
                checked = validator.check(chunk)
                skipped += checked.rejected
                for org in checked.orgs:
                    session.execute_write(write_batch, source.spec.name, source.file, load_id, [], [org_row(org)])
                for line, values in checked.rows:
                    row = to_row(source.spec.name, line, values)
                    session.execute_write(write_batch, source.spec.name, source.file, load_id, [row], [])
                    written += 1
            rows_iter.close()
    seconds = time.monotonic() - began
    return {"rows_read": read, "rows_written": written, "rows_skipped": skipped, "seconds": round(seconds, 2),
            "rows_per_s": round(written / seconds, 1) if seconds else 0.0, "bounded": limit < total,
            "folder_rows_estimate": total}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["small", "national"], default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, help="use this input folder instead of generating one")
    parser.add_argument("--synthetic", type=int, metavar="PERSONS",
                        help="instead of the sample generator: a synthetic folder with PERSONS persons (~6 rows each)")
    parser.add_argument("--naive-rows", type=int, help="rows for the naive loader (default small 5000, national 20000)")
    parser.add_argument("--batch-size", type=int, help="override PLANTALENT_BATCH_SIZE")
    parser.add_argument("--external", action="store_true", help="use NEO4J_URI from the environment (it is WIPED)")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the Python heap peak (slower)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    result: dict[str, Any] = {"scale": args.scale, "seed": args.seed, "cpus": os.cpu_count()}
    server: ManagedNeo4j | None = None
    try:
        folder = args.data
        if folder is None and args.synthetic:
            folder = synthetic_folder(work / "data", args.synthetic)
        elif folder is None:
            folder = work / "data"
            began = time.monotonic()
            plantalent = Path(sys.executable).parent / "plantalent"
            subprocess.run([str(plantalent), "sample", "--out", str(folder), "--scale", args.scale,
                            "--seed", str(args.seed)], check=True, stdout=subprocess.DEVNULL)
            result["generate_seconds"] = round(time.monotonic() - began, 1)
        result["data"] = str(folder)
        overrides: dict[str, Any] = {}
        if not args.external:
            overrides = {"PLANTALENT_HOME": str(work / "home"), "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}",
                         "PLANTALENT_MANAGE_NEO4J": "true"}
        if args.batch_size:
            overrides["PLANTALENT_BATCH_SIZE"] = str(args.batch_size)
        settings = Settings(**overrides)  # type: ignore[arg-type]
        result["batch_size"] = settings.batch_size
        if not args.external:
            # Our private server; with --external the server named by NEO4J_URI is used as it is,
            # never started nor stopped here (it may be someone else's).
            server = ManagedNeo4j(settings)
            result["neo4j_start_seconds"] = round(server.start(), 1)
        driver = connect(settings, start=False)
        init_schema(driver, settings)
        neo4j_pid = server.pid() if server else None

        wipe(driver, settings)
        limit = args.naive_rows or NAIVE_DEFAULT[args.scale]
        result["naive"] = naive_load(driver, settings, folder, limit)
        wipe(driver, settings)

        if args.tracemalloc:
            tracemalloc.start()
        began = time.monotonic()
        report = load_folder(driver, settings, folder, errors_path=work / "errors.csv", progress=sys.stderr.isatty())
        seconds = time.monotonic() - began
        batched_result: dict[str, Any] = {
            "rows": report.rows, "loaded": report.loaded, "rejected": report.rejected, "seconds": round(seconds, 2),
            "rows_per_s": round(report.rows / seconds, 1), "python_peak_rss_mb": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "per_file": {k: {"rows": f.rows, "seconds": f.seconds} for k, f in report.per_file.items()},
            "index_seconds": report.index_seconds,
        }
        if args.tracemalloc:
            batched_result["python_traced_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
            tracemalloc.stop()
        result["batched"] = batched_result
        result["neo4j_mem_mb"] = proc_mem(neo4j_pid)
        naive_rate = result["naive"]["rows_per_s"]
        result["speedup"] = round(batched_result["rows_per_s"] / naive_rate, 1) if naive_rate else None
        driver.close()
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work / "home", ignore_errors=True)

    naive = result["naive"]
    b = result["batched"]
    print(f"data: {result['data']} (scale {args.scale}, {b['rows']} rows, batch size {result['batch_size']}, "
          f"{result['cpus']} cpus)")
    print(f"batched: {b['rows']} rows ({b['rejected']} rejected) in {b['seconds']:.1f} s = {b['rows_per_s']:.0f} rows/s; "
          f"python peak RSS {b['python_peak_rss_mb']} MB"
          + (f", traced heap peak {b['python_traced_peak_mb']} MB" if "python_traced_peak_mb" in b else ""))
    print("per file (s): " + ", ".join(f"{k} {v['seconds']:.1f}" for k, v in b["per_file"].items())
          + (f"; secondary indexes built after the bulk load in {b['index_seconds']:.1f} s" if b["index_seconds"] else ""))
    print(f"neo4j: RSS {result['neo4j_mem_mb'].get('VmRSS')} MB, peak {result['neo4j_mem_mb'].get('VmHWM')} MB")
    subset = (f"on a bounded subset of {naive['rows_read']} of ~{naive['folder_rows_estimate']} rows, rate extrapolated"
              if naive["bounded"] else "on all rows")
    print(f"naive (one row per transaction) {subset}: {naive['rows_written']} written "
          f"({naive['rows_skipped']} skipped: references outside the subset) in {naive['seconds']:.1f} s = "
          f"{naive['rows_per_s']:.0f} rows/s")
    if naive["bounded"]:
        est = b["rows"] / naive["rows_per_s"] if naive["rows_per_s"] else float("nan")
        print(f"naive extrapolated to the whole folder: ~{est / 60:.0f} min")
    print(f"speed-up batched / naive: {result['speedup']}x")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
