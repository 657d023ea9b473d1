"""`plantalent neo4j start|stop|status|fetch|init`: the managed local Neo4j server."""

from __future__ import annotations

import json

import typer

from api.cli.common import console, driver_for
from graph.schema import init_schema
from graph.server import ManagedNeo4j
from graph.settings import Settings

app = typer.Typer(help="The Neo4j server (managed locally unless NEO4J_URI names another host)", no_args_is_help=True)


@app.command("start")
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


@app.command("stop")
def neo4j_stop() -> None:
    """Stop the managed Neo4j server."""
    settings = Settings()
    stopped = ManagedNeo4j(settings).stop()
    typer.echo("Neo4j stopped." if stopped else "Neo4j was not running.")


@app.command("status")
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


@app.command("fetch")
def neo4j_fetch() -> None:
    """Fetch the Neo4j jars with Maven and compile the launcher (no-op when cached)."""
    settings = Settings()
    cache = ManagedNeo4j(settings).fetch()
    typer.echo(f"Neo4j jars ready ({cache})")


@app.command("init")
def neo4j_init() -> None:
    """Create constraints and indexes (idempotent)."""
    settings = Settings()
    with driver_for(settings) as driver:
        names = init_schema(driver, settings)
    typer.echo(f"schema ready: {len(names)} indexes")
