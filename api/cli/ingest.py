"""`plantalent ingest DIR [--errors PATH]`, `plantalent loads [--json]` and `plantalent stats [--json]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.cli.common import console, driver_for, echo_json, out_console
from graph.settings import Settings
from graph.worklock import Holder, WriterSlot
from ingest.bulk import BulkReport, bulk_load, bulk_wanted, require_managed
from ingest.journal import FILE_COUNTS, list_loads
from ingest.loader import LoadReport, load_folder, preflight
from ingest.stats import entity_counts

app = typer.Typer()


def _waiting(holder: Holder) -> None:
    console.print(f"waiting for {holder.describe()} to finish …")


@app.command("ingest")
def ingest(
    folder: Annotated[Path, typer.Argument(help="folder with units.csv, persons.csv, ... (CSV or XLSX)")],
    errors: Annotated[Path, typer.Option("--errors", help="where to write rejected rows (CSV)")] = Path("ingest-errors.csv"),
    as_json: Annotated[bool, typer.Option("--json", help="print the load report as JSON")] = False,
    bulk: Annotated[bool | None, typer.Option(
        "--bulk/--no-bulk", help="a first load into the empty managed store with Neo4j's bulk importer (server "
        "restarted); default: bulk for a load of PLANTALENT_INGEST_BULK_ROWS rows or more into an empty managed "
        "store, else transactional")] = None,
    snapshot: Annotated[bool, typer.Option(
        "--snapshot", help="each file is the complete current extract of its kind: retire what it no longer holds")] = False,
    allow_mass_retire: Annotated[bool, typer.Option(
        "--allow-mass-retire", help="let a snapshot retire more than PLANTALENT_SNAPSHOT_MAX_RETIRE_SHARE of a kind")] = False,
) -> None:
    """Load the input files of FOLDER (exit 0 all loaded, 3 some rows rejected, 2 fatal: nothing written,
    1 stopped part-way: run it again)."""
    settings = Settings()
    sources = preflight(folder)  # fatal input problems (exit 2) before touching Neo4j
    if bulk:
        require_managed(settings)  # before connecting: an external server may be far away
    with driver_for(settings) as driver, WriterSlot(driver, settings, f"ingest {folder}", on_wait=_waiting):
        if bulk if bulk is not None else bulk_wanted(driver, settings, sources):
            report: LoadReport = bulk_load(driver, settings, folder, errors_path=errors, progress=not as_json)
        else:
            report = load_folder(driver, settings, folder, errors_path=errors, progress=not as_json,
                                 snapshot=snapshot, allow_mass_retire=allow_mass_retire)
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, default=str))
    else:
        table = Table(title=f"load {report.load_id}")
        for col in ("file", *FILE_COUNTS, "seconds"):
            table.add_column(col, justify="left" if col == "file" else "right")
        for f in report.per_file.values():
            table.add_row(f.file, *(str(getattr(f, c)) for c in FILE_COUNTS), f"{f.seconds:.1f}")
        console.print(table)
        for note in report.notes:
            typer.echo(f"note: {note}")
        rate = report.rows / report.seconds if report.seconds else 0.0
        typer.echo(f"{report.loaded} of {report.rows} rows loaded ({report.unchanged} unchanged), {report.rejected} "
                   f"rejected ({report.error_count} errors written to {errors}) in {report.seconds:.1f} s ({rate:.0f} rows/s)")
        if isinstance(report, BulkReport):
            typer.echo("bulk load (seconds): " + ", ".join(f"{k.replace('_', ' ')} {v:.1f}" for k, v in report.timings.items()))
            typer.echo("the importer's stages (seconds): " + ", ".join(f"{k} {v:.1f}" for k, v in report.importer_stages.items()))
    if report.exit_code:
        typer.echo(f"error: {report.rejected} rows rejected; see {errors}", err=True)
        raise typer.Exit(report.exit_code)


@app.command("loads")
def loads(
    as_json: Annotated[bool, typer.Option("--json", help="print the journal as JSON")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10000, help="newest N loads")] = 20,
    load_id: Annotated[str | None, typer.Option("--load", help="only this load")] = None,
) -> None:
    """The load journal, newest first: status, and per file rows read / loaded / unchanged / rejected / retired."""
    settings = Settings()
    with driver_for(settings) as driver:
        rows = list_loads(driver, settings, limit=limit, load_id=load_id)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        typer.echo("no loads yet")
        return
    for load in rows:
        table = Table(title=f"{load['load_id']}  {load['status']}  {load['mode']}  {load['folder']}",
                      caption=f"started {load['started']}, finished {load['finished'] or '-'}"
                              + (f"; {load['error']}" if load["error"] else ""),
                      title_justify="left", caption_justify="left")
        for col in ("file", *FILE_COUNTS):
            table.add_column(col, justify="left" if col == "file" else "right")
        for f in load["files"]:
            table.add_row(str(f["file"]), *(str(f[c]) for c in FILE_COUNTS))
        out_console.print(table)
        for note in load["notes"]:
            out_console.print(f"  note: {note}")


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
