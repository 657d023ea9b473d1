"""`plantalent demo`: the whole system on one machine, from nothing to a working site."""

from __future__ import annotations

import typer

from api.cli import app, driver_for
from graph.schema import init_schema
from graph.settings import Settings


@app.command("demo")
def demo() -> None:
    """Start Neo4j, create the schema and run a smoke query."""
    settings = Settings()
    with driver_for(settings) as driver:
        names = init_schema(driver, settings)
        version = driver.execute_query("CALL dbms.components() YIELD versions RETURN versions[0] AS v").records[0]["v"]
        typer.echo(f"Neo4j {version} at {settings.neo4j_uri}: schema with {len(names)} indexes ready")
