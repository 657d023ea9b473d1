"""The `plantalent` command line (typer). Each command makes Settings and the driver once."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from neo4j import Driver
from rich.console import Console

from graph.db import connect
from graph.schema import init_schema
from graph.server import ManagedNeo4j, Neo4jServerError
from graph.settings import Settings

app = typer.Typer(help="plantalent: talent knowledge graph of the spatial-planning industry", no_args_is_help=True)
neo4j_app = typer.Typer(help="The Neo4j server (managed locally unless NEO4J_URI names another host)", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
console = Console(stderr=True)


class CliError(Exception):
    """An error reported to the user as one message with an exit code (2 = usage/fatal)."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


@contextmanager
def driver_for(settings: Settings) -> Iterator[Driver]:
    """The command's one driver (starting the managed server if needed), closed at the end."""
    driver = connect(settings)
    try:
        yield driver
    finally:
        driver.close()


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start the managed Neo4j server (fetching jars on first use) and create the schema."""
    settings = Settings()
    if not settings.managed:
        console.print(f"NEO4J_URI={settings.neo4j_uri} is not local: nothing to start.")
        return
    server = ManagedNeo4j(settings)
    seconds = server.start()
    with driver_for(settings) as driver:
        init_schema(driver, settings)
    st = server.status()
    typer.echo(f"Neo4j {st.version} running: pid {st.pid}, bolt://{st.host}:{st.port}, home {st.home} (start took {seconds:.1f} s)")


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the managed Neo4j server."""
    settings = Settings()
    stopped = ManagedNeo4j(settings).stop()
    typer.echo("Neo4j stopped." if stopped else "Neo4j was not running.")


@neo4j_app.command("status")
def neo4j_status(as_json: bool = typer.Option(False, "--json", help="print JSON")) -> None:
    """Report pid, port, store size and version of the managed server (exit 1 if stopped)."""
    settings = Settings()
    if not settings.managed:
        typer.echo(f"external Neo4j at {settings.neo4j_uri} (not managed here)")
        return
    st = ManagedNeo4j(settings).status()
    if as_json:
        typer.echo(json.dumps(st.as_dict(), ensure_ascii=False))
    elif st.running:
        typer.echo(f"running: pid {st.pid}, bolt://{st.host}:{st.port}, store {st.store_bytes / 1e6:.1f} MB, Neo4j {st.version}, home {st.home}")
    else:
        typer.echo(f"stopped (home {st.home}, store {st.store_bytes / 1e6:.1f} MB)")
    if not st.running:
        raise typer.Exit(1)


@neo4j_app.command("fetch")
def neo4j_fetch() -> None:
    """Fetch the Neo4j jars with Maven and compile the launcher (no-op when cached)."""
    settings = Settings()
    cache = ManagedNeo4j(settings).fetch()
    typer.echo(f"Neo4j jars ready ({cache})")


@neo4j_app.command("init")
def neo4j_init() -> None:
    """Create constraints and indexes (idempotent)."""
    settings = Settings()
    with driver_for(settings) as driver:
        names = init_schema(driver, settings)
    typer.echo(f"schema ready: {len(names)} indexes")


def _register_commands() -> None:
    # Commands of the other stages live beside their code; importing registers them on `app`.
    import importlib

    for module in ("api.cli_ingest", "api.cli_sample", "api.cli_detect", "api.cli_talent", "api.cli_web", "api.cli_credit", "api.cli_demo"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def main() -> None:
    """Console-script entry: run the app, turning known errors into one-line messages."""
    _register_commands()
    try:
        # standalone_mode=False returns the exit code of typer.Exit instead of raising it.
        rc = app(standalone_mode=False)
    except Neo4jServerError as exc:
        console.print(f"[red]error:[/red] {exc}")
        sys.exit(2)
    except CliError as exc:
        console.print(f"[red]error:[/red] {exc}")
        sys.exit(exc.code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        sys.exit(130)
    except Exception as exc:
        # Usage errors of the click that typer bundles: show them the click way, exit 2.
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(2)
        raise
    sys.exit(rc if isinstance(rc, int) else 0)
