"""`plantalent sample`: write a sample input folder with planted cases and their ground truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import console
from graph.errors import InvalidInput
from ingest.sample import generate
from ingest.sample.generate import SCALES

app = typer.Typer()


@app.command("sample")
def sample(
    out: Annotated[Path, typer.Option("--out", help="folder to write (created if missing)")],
    scale: str = typer.Option("small", "--scale",
                              help="small (≈60 units, 1,500 persons, 9k rows), regional (≈70k rows) or national (3.1M rows)"),
    seed: int = typer.Option(1, "--seed", help="random seed (same seed, same bytes)"),
    variants: bool = typer.Option(False, "--variants", help="also write GBK-CSV and XLSX copies under variants/"),
    check: bool | None = typer.Option(None, "--check/--no-check",
                                      help="verify the ground truth with the reference rules (default: small only)"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as JSON"),
) -> None:
    """Generate the 13 input CSVs, ground_truth.jsonl, hard_negatives.jsonl, inspectors.csv and expert_requests.jsonl."""
    if scale not in SCALES:
        raise InvalidInput(f"--scale must be one of {', '.join(SCALES)}, not {scale!r}")
    try:
        with console.status(f"generating {scale} sample (seed {seed}) in {out} ..."):
            summary = generate(out, scale=scale, seed=seed, variants=variants, check=check)
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc}") from exc
    if as_json:
        typer.echo(json.dumps({
            "out": str(summary.out), "scale": summary.scale, "seed": summary.seed, "as_of": summary.as_of.isoformat(),
            "counts": summary.counts, "planted": summary.planted, "hard_negatives": summary.hard_negatives,
            "requests": summary.requests, "inspectors": summary.inspectors, "variants": summary.variants,
            "checked": summary.checked, "seconds": round(summary.seconds, 2)}, ensure_ascii=False))
        return
    counts = ", ".join(f"{k} {v:,}" for k, v in summary.counts.items())
    planted = ", ".join(f"{k} {v}" for k, v in summary.planted.items())
    typer.echo(f"sample written to {summary.out} in {summary.seconds:.1f} s (as_of {summary.as_of})")
    typer.echo(f"rows: {counts}")
    typer.echo(f"planted alerts: {planted}; hard negatives: {sum(summary.hard_negatives.values())}; "
               f"reference check: {'passed' if summary.checked else 'skipped'}")
