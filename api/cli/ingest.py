"""`plantalent ingest DIR [--errors PATH]` and `plantalent stats [--json]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.cli.common import console, driver_for
from graph.settings import Settings
from ingest.loader import load_folder, preflight
from ingest.stats import entity_counts

app = typer.Typer()


@app.command("ingest")
def ingest(
    folder: Annotated[Path, typer.Argument(help="folder with units.csv, persons.csv, ... (CSV or XLSX)")],
    errors: Annotated[Path, typer.Option("--errors", help="where to write rejected rows (CSV)")] = Path("ingest-errors.csv"),
    as_json: Annotated[bool, typer.Option("--json", help="print the load report as JSON")] = False,
) -> None:
    """Load the input files of FOLDER (exit 0 all loaded, 3 some rows rejected, 2 fatal)."""
    settings = Settings()
    preflight(folder)  # fatal input problems (exit 2) before touching Neo4j
    with driver_for(settings) as driver:
        report = load_folder(driver, settings, folder, errors_path=errors, progress=not as_json)
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, default=str))
    else:
        table = Table(title=f"load {report.load_id}")
        for col in ("file", "rows", "loaded", "rejected", "seconds"):
            table.add_column(col, justify="left" if col == "file" else "right")
        for f in report.per_file.values():
            table.add_row(f.file, str(f.rows), str(f.loaded), str(f.rejected), f"{f.seconds:.1f}")
        console.print(table)
        rate = report.rows / report.seconds if report.seconds else 0.0
        typer.echo(f"{report.loaded} of {report.rows} rows loaded, {report.rejected} rejected "
                   f"({report.error_count} errors written to {errors}) in {report.seconds:.1f} s ({rate:.0f} rows/s)")
    if report.exit_code:
        typer.echo(f"error: {report.rejected} rows rejected; see {errors}", err=True)
        raise typer.Exit(report.exit_code)


@app.command("stats")
def stats(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Counts per entity (units, organisations, persons, registrations, ...)."""
    settings = Settings()
    with driver_for(settings) as driver:
        counts = entity_counts(driver, settings)
    if as_json:
        typer.echo(json.dumps(counts, ensure_ascii=False))
    else:
        width = max(len(k) for k in counts)
        for key, value in counts.items():
            typer.echo(f"{key:<{width}}  {value}")
