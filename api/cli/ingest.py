"""`plantalent ingest DIR [--errors PATH]` and `plantalent stats [--json]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.cli.common import console, driver_for
from graph.settings import Settings
from ingest.bulk import BulkReport, bulk_load, bulk_wanted, require_managed
from ingest.loader import LoadReport, load_folder, preflight
from ingest.stats import entity_counts

app = typer.Typer()


@app.command("ingest")
def ingest(
    folder: Annotated[Path, typer.Argument(help="folder with units.csv, persons.csv, ... (CSV or XLSX)")],
    errors: Annotated[Path, typer.Option("--errors", help="where to write rejected rows (CSV)")] = Path("ingest-errors.csv"),
    as_json: Annotated[bool, typer.Option("--json", help="print the load report as JSON")] = False,
    bulk: Annotated[bool | None, typer.Option(
        "--bulk/--no-bulk", help="a first load into the empty managed store with Neo4j's bulk importer (server "
        "restarted); default: bulk for a load of PLANTALENT_INGEST_BULK_ROWS rows or more into an empty managed "
        "store, else transactional")] = None,
) -> None:
    """Load the input files of FOLDER (exit 0 all loaded, 3 some rows rejected, 2 fatal)."""
    settings = Settings()
    sources = preflight(folder)  # fatal input problems (exit 2) before touching Neo4j
    if bulk:
        require_managed(settings)  # before connecting: an external server may be far away
    with driver_for(settings) as driver:
        if bulk if bulk is not None else bulk_wanted(driver, settings, sources):
            report: LoadReport = bulk_load(driver, settings, folder, errors_path=errors, progress=not as_json)
        else:
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
        if isinstance(report, BulkReport):
            typer.echo("bulk load (seconds): " + ", ".join(f"{k.replace('_', ' ')} {v:.1f}" for k, v in report.timings.items()))
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
