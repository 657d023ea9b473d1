"""`plantalent refresh [--as-of DATE]`: tag → detect → credit after loads, for a scheduler (DESIGN.md "Data lifecycle").

It is a job like an upload's refresh (queries/jobs.py): recorded in the graph (the admin page lists it),
run after any job still pending and while no load writes, its stages and their summaries printed.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from api.cli.common import console, driver_for, echo_json, optional_embedder, parse_date
from graph.errors import PlantalentError
from graph.settings import Settings
from queries.jobs import create_job, run_job

app = typer.Typer()


class RefreshFailed(PlantalentError):
    """A refresh stage failed (exit 1); the stages before it are complete."""


@app.command("refresh")
def refresh(
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (default today / PLANTALENT_AS_OF)")] = None,
    embed: Annotated[bool, typer.Option("--embed/--no-embed", help="also embed changed profiles")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="print the job as JSON")] = False,
) -> None:
    """Refresh tags, alerts and credit after loads (tag → detect → credit); exit 1 naming the stage that failed."""
    settings = Settings()
    day = parse_date(as_of, "--as-of") or settings.today()
    embedder = optional_embedder(settings, embed)
    # The job logs a failing stage with its traceback (for the serve process's log); here the one-line
    # error below says it, so the log record must not reach Python's last-resort stderr handler.
    logging.getLogger("plantalent.jobs").addHandler(logging.NullHandler())
    with driver_for(settings) as driver:
        job_id = create_job(driver, settings, "refresh", requested_by="cli", params={"as_of": day.isoformat()})
        with console.status(f"refresh {job_id} as of {day} …"):
            job = run_job(driver, settings, job_id, embedder=embedder)
    if as_json:
        echo_json(job)
    else:
        for stage in job["done_stages"]:
            summary = {k: v for k, v in job["outcome"].get(stage, {}).items() if not isinstance(v, dict | list)}
            typer.echo(f"{stage}: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    if job["status"] != "done":
        raise RefreshFailed(f"refresh {job_id} failed at stage {job['failed_stage']}: {job['error']} "
                            f"(stages done: {', '.join(job['done_stages']) or 'none'})")
