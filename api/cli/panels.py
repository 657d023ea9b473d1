"""`plantalent panels assign --json BATCH.json` (review panels, DESIGN.md) and `panels draw DRAW_ID`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import driver_for, echo_json, optional_embedder, read_request
from api.rosters import roster_workbook
from graph.settings import Settings
from queries.audit import event, write_events
from queries.panels import PanelBatch, assign, get_draw
from queries.users import cli_actor

app = typer.Typer()
panels_app = typer.Typer(help="Review panels: batch assignment under rules, published random draws", no_args_is_help=True)
app.add_typer(panels_app, name="panels")


@panels_app.command("assign")
def panels_assign(
    batch_file: Annotated[Path, typer.Option("--json", help="BATCH.json (DESIGN.md request)", exists=True, dir_okay=False)],
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="also write the rosters to this XLSX file (mode 0600)")] = None,
    embed: bool = typer.Option(True, "--embed/--no-embed", help="use embedding similarity"),
) -> None:
    """Staff a batch of review panels (optimal or a reproducible random draw); prints the JSON response."""
    batch = read_request(batch_file, PanelBatch)
    settings = Settings()
    with driver_for(settings) as driver:
        res = assign(driver, settings, batch, embedder=optional_embedder(settings, embed))
        who = cli_actor()  # the rosters carry ID numbers in full: audited before they are printed or written
        write_events(driver, settings, [event(who.user_id, who.role, "panels_assign", None,
                                              {"panels": [p.panel_id for p in batch.panels], "mode": batch.mode})])
    if xlsx is not None:
        # The rosters hold ID numbers: the file is created private (DESIGN.md "Files written for people").
        fd = os.open(xlsx, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # also when the file existed with wider permissions
        with os.fdopen(fd, "wb") as fh:
            fh.write(roster_workbook(res))
    echo_json(res)


@panels_app.command("draw")
def panels_draw(draw_id: str = typer.Argument(..., help="draw_id of a random assignment")) -> None:
    """Print a recorded random draw (request, seed, candidates, each seat's eligible list and result)."""
    settings = Settings()
    with driver_for(settings) as driver:
        found = get_draw(driver, settings, draw_id)
        who = cli_actor()
        write_events(driver, settings, [event(who.user_id, who.role, "view_draw", draw_id)])
    echo_json(found)
