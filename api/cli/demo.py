"""`plantalent demo`: the whole system on one machine, from nothing to a working site."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
import uvicorn

from api.app import create_app
from api.cli.common import console, driver_for
from graph.errors import Unavailable
from graph.schema import init_schema
from graph.settings import Settings
from ingest.loader import load_folder
from ingest.sample import generate
from queries.alerts import store_alerts
from queries.credit import compute_credit
from queries.detect import parse_rules, run_detection
from queries.units import first_staffed_unit
from queries.users import create_user
from tagging.embed import EmbedderError, load_embedder
from tagging.tagger import run_tagging

app = typer.Typer()

DEMO_ROLES = [("admin", None), ("manager", None), ("inspector", None), ("unit_hr", "first-unit")]


@app.command("demo")
def demo(
    scale: str = typer.Option("small", help="sample scale: small | national"),
    seed: int = typer.Option(1, help="sample seed"),
    port: int = typer.Option(8000, help="web port on 127.0.0.1"),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="serve the web UI at the end"),
    embed: bool = typer.Option(True, "--embed/--no-embed", help="embed profiles with the configured model"),
) -> None:
    """Start Neo4j, generate a sample, ingest, tag, detect, grade credit, create users, serve the site."""
    settings = Settings()
    home = Path(settings.home)
    sample_dir = home / f"sample-{scale}-{seed}"
    with driver_for(settings) as driver:
        init_schema(driver, settings)
        console.rule("1/6 sample data")
        if not (sample_dir / "sample_meta.json").exists():
            generate(sample_dir, scale=scale, seed=seed)
        meta = json.loads((sample_dir / "sample_meta.json").read_text(encoding="utf-8"))
        as_of = date.fromisoformat(meta["as_of"])
        typer.echo(f"sample in {sample_dir} (as of {as_of})")

        console.rule("2/6 ingest")
        report = load_folder(driver, settings, sample_dir, errors_path=home / "ingest-errors.csv", progress=True)
        typer.echo(f"loaded {report.loaded} of {report.rows} rows, {report.rejected} rejected ({report.seconds:.1f} s)")
        if report.exit_code not in (0, 3):
            raise Unavailable("ingest failed")

        console.rule("3/6 tags and embeddings")
        embedder = None
        if embed:
            try:
                embedder = load_embedder(settings)
            except EmbedderError as exc:
                console.print(f"[yellow]warning:[/yellow] {exc}; tagging without embeddings")
        tagged = run_tagging(driver, settings, as_of=as_of, progress=True, embedder=embedder)
        typer.echo(f"tagged {tagged.changed} persons, embedded {tagged.embedded}")

        # The users exist before detection, so the inspector's inbox tells of the alerts the run raises.
        console.rule("4/6 users")
        first_unit = first_staffed_unit(driver, settings, as_of)
        tokens = []
        for role, unit in DEMO_ROLES:
            unit_id = first_unit if unit else None
            _, token = create_user(driver, settings, role, unit_id, f"demo-{role}")
            tokens.append(f"  {role:<9} {token}" + (f"   (unit {unit_id})" if unit_id else ""))

        console.rule("5/6 detection")
        codes = parse_rules(None)
        alerts = run_detection(driver, settings, as_of, codes, None)
        store_alerts(driver, settings, alerts, as_of=as_of, rules=codes)
        alerts_path = home / "alerts.jsonl"
        with alerts_path.open("w", encoding="utf-8") as fh:
            for a in alerts:
                fh.write(json.dumps(a.to_json(), ensure_ascii=False) + "\n")
        typer.echo(f"{len(alerts)} alerts -> {alerts_path}")

        console.rule("6/6 credit grading")
        graded = compute_credit(driver, settings, as_of)
        typer.echo(f"graded {len(graded)} units")
        typer.echo("users (each token is shown only now):")
        for line in tokens:
            typer.echo(line)
    if serve:
        typer.echo(f"\nOpen http://127.0.0.1:{port}/ and sign in with a token above (Ctrl-C stops).")
        uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
