"""The `plantalent` command line (typer): one module per command group, merged here.

Each command makes Settings and the driver once (``common.driver_for``). Errors are the kinds of
``graph.errors``, raised where they are detected; ``main`` prints each on one unwrapped line and
exits with the code ``api.errors`` maps it to.
"""

from __future__ import annotations

import sys

import click
import typer

from api.cli import casework, credit, demo, detect, ingest, panels, refresh, sample, server, talent, web
from api.cli.common import quiet_notifications
from api.errors import exit_code
from graph.errors import PlantalentError

app = typer.Typer(help="plantalent: talent knowledge graph of the spatial-planning industry", no_args_is_help=True)
app.add_typer(server.app, name="neo4j")
for group in (ingest, refresh, sample, detect, talent, panels, web, credit, casework, demo):
    app.add_typer(group.app)


def fail(message: str, code: int) -> None:
    """Print ``error: message`` on one line of stderr (never wrapped) and exit with ``code``."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    sys.stderr.write(f"error: {' | '.join(lines)}\n")
    sys.exit(code)


def main() -> None:
    """Console-script entry: run the app, turning known errors into one-line messages."""
    quiet_notifications()
    try:
        # standalone_mode=False returns the exit code of typer.Exit instead of raising it.
        rc = app(standalone_mode=False)
    except PlantalentError as exc:
        fail(str(exc), exit_code(exc))
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        sys.exit(130)
    except click.ClickException as exc:
        # usage errors: shown the click way, exit 2
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(rc if isinstance(rc, int) else 0)
