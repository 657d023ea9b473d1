"""The incremental paths (DESIGN.md "Data lifecycle"): a monthly extract into a loaded graph, and the
refresh after it, against reloading everything and refreshing everything — measured in the same run.

    python -m bench.monthly --data DIR [--change 0.01] [--withdraw 0.002] [--small 100] [--external]
    python -m bench.ingest --scales national --monthly   # the same, after bench.ingest's loaders, per scale

On a graph loaded with DIR (loaded here first unless ``--loaded``; that load is the "reload everything"
baseline), with tagging, detection and credit run once in full (the "refresh everything" baseline, and
what the incremental refresh starts from):

1. monthly: every file of DIR again, ``--change`` of the rows of each file changed in a non-key column
   (a corrected title, position, payer name, end date, ...), plus ``--withdraw`` of the employment rows
   left out; loaded as an ordinary load (adds and updates: the left-out rows stay) — rows/s and wall time
   against the full load;
2. the refresh after it: tag (the changed persons only), detect (incremental when few persons changed,
   else in full — the output says which and why), credit;
3. the same extract as a snapshot (`--snapshot`): the changes are in already, the left-out employments
   are retired — the cost of reading every key first;
4. a small change (``--small`` employment rows) and the refresh after it: detection for those persons only.

National scale only under `flock /work/heavy.lock` (two shared cores).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import socket
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from neo4j import Driver

from graph.db import connect
from graph.schema import init_schema
from graph.server import ManagedNeo4j
from graph.settings import Settings
from ingest.loader import load_folder
from ingest.schemas import SPEC_BY_NAME
from queries.refresh import Context, run_stage


def _suffix(text: str) -> str:
    return (text or "") + "（更正）"


def _end_date(text: str) -> str:
    return "" if text else "2099-12-31"


# A non-key column per file and how a correction changes it (None: the file is copied as it is).
CHANGES: dict[str, tuple[str, Any] | None] = {
    "units": ("address", _suffix), "persons": ("bio", _suffix), "registrations": ("valid_to", _end_date),
    "employments": ("position", _suffix), "social_insurance": ("payer_name", _suffix), "experts": ("fields", _suffix),
    "projects": ("description", _suffix), "project_members": None, "applications": ("grade", _suffix),
    "application_staff": ("role", _suffix), "awards": ("name", _suffix), "violations": ("description", _suffix),
    "reorganizations": None,
}


def monthly_extract(source: Path, out: Path, share: float, withdraw: float, seed: int) -> dict[str, int]:
    """Copy the CSV files of ``source`` into ``out`` with ``share`` of each file's rows changed in one
    non-key column and ``withdraw`` of the employment rows left out; returns the changed rows per file."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    changed: dict[str, int] = {}
    for path in sorted(source.glob("*.csv")):
        name = path.stem
        if name not in SPEC_BY_NAME:
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        change = CHANGES.get(name)
        n = 0
        if change is not None:
            col = header.index(change[0]) if change[0] in header else None
            if col is not None:
                for i in rng.sample(range(len(body)), k=int(len(body) * share)):
                    body[i][col] = change[1](body[i][col])
                    n += 1
        if name == "employments" and withdraw:
            drop = set(rng.sample(range(len(body)), k=int(len(body) * withdraw)))
            body = [r for i, r in enumerate(body) if i not in drop]
            changed["employments_withdrawn"] = len(drop)
        with (out / path.name).open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([header, *body])
        changed[name] = n
    return changed


def small_change(source: Path, out: Path, rows: int, seed: int) -> int:
    """A folder with only employments.csv, ``rows`` of its rows changed (position)."""
    rng = random.Random(seed + 1)
    out.mkdir(parents=True, exist_ok=True)
    with (source / "employments.csv").open(encoding="utf-8-sig", newline="") as fh:
        all_rows = list(csv.reader(fh))
    header, body = all_rows[0], all_rows[1:]
    col = header.index("position")
    picked = rng.sample(range(len(body)), k=min(rows, len(body)))
    for i in picked:
        body[i][col] = _suffix(body[i][col])
    with (out / "employments.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *(body[i] for i in picked)])
    return len(picked)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_of_of(folder: Path) -> date:
    """The as-of date of a sample folder (its sample_meta.json), else today."""
    meta = folder / "sample_meta.json"
    return date.fromisoformat(json.loads(meta.read_text())["as_of"]) if meta.is_file() else date.today()


def _load(driver: Driver, settings: Settings, folder: Path, work: Path, **kw: Any) -> dict[str, Any]:
    began = time.monotonic()
    report = load_folder(driver, settings, folder, errors_path=work / f"errors-{folder.name}.csv", **kw)
    seconds = time.monotonic() - began
    return {"rows": report.rows, "loaded": report.loaded, "unchanged": report.unchanged, "rejected": report.rejected,
            "retired": report.retired, "seconds": round(seconds, 1), "rows_per_s": round(report.rows / seconds, 1)}


def _refresh(driver: Driver, settings: Settings, as_of: date) -> dict[str, Any]:
    ctx = Context(driver, settings, as_of)
    out: dict[str, Any] = {}
    for stage in ("tag", "detect", "credit"):
        r = run_stage(ctx, stage)
        out[stage] = {k: r.get(k) for k in ("seconds", "scope", "why", "persons", "changed", "alerts", "closed", "units")
                      if k in r}
    out["seconds"] = round(sum(v["seconds"] for v in out.values()), 1)
    return out


def run_monthly(driver: Driver, settings: Settings, folder: Path, work: Path, *, as_of: date, share: float = 0.01,
                withdraw: float = 0.002, small: int = 100, seed: int = 1,
                full_load: dict[str, Any] | None = None) -> dict[str, Any]:
    """The phases of the module docstring on a graph holding ``folder`` (``full_load``: how long that load took)."""
    result: dict[str, Any] = {"as_of": as_of.isoformat(), "share": share, "withdraw": withdraw}
    if full_load is None:
        full_load = _load(driver, settings, folder, work)
    result["full_load"] = full_load
    result["full_refresh"] = _refresh(driver, settings, as_of)
    month = work / "monthly"
    result["changed_rows"] = monthly_extract(folder, month, share, withdraw, seed)
    result["monthly_load"] = _load(driver, settings, month, work)
    result["monthly_refresh"] = _refresh(driver, settings, as_of)
    result["monthly_snapshot"] = _load(driver, settings, month, work, snapshot=True, allow_mass_retire=True)
    result["snapshot_refresh"] = _refresh(driver, settings, as_of)
    tiny = work / "small"
    result["small_rows"] = small_change(folder, tiny, small, seed)
    result["small_load"] = _load(driver, settings, tiny, work)
    result["small_refresh"] = _refresh(driver, settings, as_of)
    return result


def report(result: dict[str, Any]) -> None:
    """Print the figures and the ratios against the full load and the full refresh."""
    full, month, snap = result["full_load"], result["monthly_load"], result["monthly_snapshot"]
    changed = sum(v for k, v in result["changed_rows"].items() if k != "employments_withdrawn")
    measured = full["seconds"] == full["seconds"]  # NaN with --loaded: no ratio against a load of another run

    def vs_full(seconds: float) -> str:
        return f" ({full['seconds'] / seconds:.2f}x faster than the full load)" if measured else ""

    if measured:
        print(f"full load (everything, empty graph): {full['rows']} rows in {full['seconds']} s = {full['rows_per_s']} rows/s")
    else:
        print("full load: not measured in this run (--loaded: the graph held the data already)")
    print(f"monthly extract ({result['share']:.0%} changed: {changed} rows; "
          f"{result['changed_rows'].get('employments_withdrawn', 0)} employments left out):")
    print(f"  load: {month['rows']} rows read, {month['loaded']} written, {month['unchanged']} unchanged in "
          f"{month['seconds']} s = {month['rows_per_s']} rows/s{vs_full(month['seconds'])}")
    print(f"  as a snapshot: {snap['retired']} retired, {snap['unchanged']} unchanged in {snap['seconds']} s"
          f"{vs_full(snap['seconds'])}")
    for name in ("full_refresh", "monthly_refresh", "snapshot_refresh", "small_refresh"):
        r = result[name]
        stages = "; ".join(f"{s} {r[s]['seconds']} s" + (f" ({r[s]['scope']})" if r[s].get("scope") else "")
                           for s in ("tag", "detect", "credit"))
        ratio = "" if name == "full_refresh" else f" = {result['full_refresh']['seconds'] / r['seconds']:.2f}x faster"
        print(f"{name.replace('_', ' ')}: {r['seconds']} s{ratio} — {stages}")
    small = result["small_load"]
    print(f"small change ({result['small_rows']} employment rows): load {small['seconds']} s; "
          f"detect: {result['small_refresh']['detect'].get('why')}")


def measure(folder: Path, seed: int = 1, *, share: float = 0.01, withdraw: float = 0.002, small: int = 100,
            as_of: date | None = None, external: bool = False, loaded: bool = False) -> dict[str, Any]:
    """All phases on a private managed Neo4j (temporary home, free port; ``external``: NEO4J_URI as it is,
    WIPED unless ``loaded``); prints the report and returns the figures."""
    work = Path(tempfile.mkdtemp(prefix="bench-monthly-"))
    server: ManagedNeo4j | None = None
    try:
        overrides: dict[str, Any] = {}
        if not external:
            overrides.update(PLANTALENT_HOME=str(work / "home"), NEO4J_URI=f"bolt://127.0.0.1:{free_port()}",
                             PLANTALENT_MANAGE_NEO4J="true")
        settings = Settings(**overrides)  # type: ignore[arg-type]
        if not external:
            server = ManagedNeo4j(settings)
            server.start()
        driver = connect(settings, start=False)
        init_schema(driver, settings)
        if not loaded:
            driver.execute_query("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
                                 database_=settings.neo4j_database)
        result = run_monthly(driver, settings, folder, work, as_of=as_of or as_of_of(folder), share=share,
                             withdraw=withdraw, small=small, seed=seed,
                             full_load={"rows": 0, "seconds": float("nan"), "rows_per_s": float("nan")} if loaded
                             else None)
        driver.close()
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    report(result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.monthly", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the input folder (CSV), e.g. a national sample")
    parser.add_argument("--loaded", action="store_true", help="the graph holds --data already (no full load here)")
    parser.add_argument("--change", type=float, default=0.01, help="share of rows changed per file (default 0.01)")
    parser.add_argument("--withdraw", type=float, default=0.002, help="share of employment rows left out")
    parser.add_argument("--small", type=int, default=100, help="rows of the small change")
    parser.add_argument("--as-of", default=None, help="YYYY-MM-DD (default: the sample's as_of)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--external", action="store_true", help="use NEO4J_URI as it is (WIPED unless --loaded)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args(argv)
    result = measure(args.data, args.seed, share=args.change, withdraw=args.withdraw, small=args.small,
                     as_of=date.fromisoformat(args.as_of) if args.as_of else None, external=args.external,
                     loaded=args.loaded)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
