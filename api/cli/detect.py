"""`plantalent detect`: run the detection rules, store alerts in the graph, write alerts.jsonl."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import console, driver_for, parse_date
from graph.errors import InvalidInput
from graph.settings import Settings
from queries.alerts import store_alerts
from queries.detect import parse_rules, run_detection
from queries.score import format_scores, load_truth, score_alerts

app = typer.Typer()


@app.command("detect")
def detect(
    as_of: Annotated[str | None, typer.Option("--as-of", help="detection date YYYY-MM-DD (default today / PLANTALENT_AS_OF)")] = None,
    out: Annotated[Path, typer.Option("--out", help="alerts file, one JSON object per line")] = Path("alerts.jsonl"),
    rules: Annotated[str | None, typer.Option("--rules", help="comma-separated rule codes, e.g. CL1,TR2 (default all)")] = None,
    person: Annotated[str | None, typer.Option("--person", help="only this person (ID number)")] = None,
    truth: Annotated[Path | None, typer.Option("--truth", help="ground_truth.jsonl: print precision/recall per rule")] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="do not write alerts to the graph")] = False,
) -> None:
    """Run the detection rules (DESIGN.md) and write alerts.jsonl; alerts are also kept in the graph."""
    settings = Settings()
    day = parse_date(as_of, "--as-of") or settings.today()
    codes = parse_rules(rules)
    if truth is not None and not truth.is_file():
        raise InvalidInput(f"--truth file not found: {truth}")
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with driver_for(settings) as driver:
        with console.status(f"detecting ({', '.join(codes)}) as of {day} ..."):
            alerts = run_detection(driver, settings, day, codes, person, timings=timings)
            stored = None if no_store else store_alerts(driver, settings, alerts, as_of=day, rules=codes, person_id=person)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for a in alerts:
            fh.write(json.dumps(a.to_json(), ensure_ascii=False) + "\n")
    per_rule: dict[str, int] = {}
    for a in alerts:
        per_rule[a.rule] = per_rule.get(a.rule, 0) + 1
    counts = ", ".join(f"{c} {per_rule.get(c, 0)}" for c in codes)
    kept = f"; graph: {stored['stored']} stored, {stored['closed']} closed" if stored else ""
    typer.echo(f"{len(alerts)} alerts as of {day} -> {out} ({counts}){kept} in {time.perf_counter() - t0:.1f} s")
    if truth is not None:
        scores = score_alerts([a.to_json() for a in alerts], load_truth(truth), rules=codes)
        typer.echo(format_scores(scores))
