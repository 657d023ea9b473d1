"""`plantalent find TEXT`: the lookup of persons, units and projects (DESIGN.md Casework)."""

from __future__ import annotations

import typer
from rich.table import Table

from api.cli.common import driver_for, echo_json, out_console
from graph.masking import mask_text, public_payload
from graph.settings import Settings
from queries.audit import event, write_events
from queries.lookup import lookup
from queries.scope import Scope
from queries.users import cli_actor

app = typer.Typer()


@app.command("find")
def find(text: str = typer.Argument(..., help="ID number, USCC, phone, or a name of a person, unit or project"),
         as_json: bool = typer.Option(False, "--json", help="print JSON {persons, units, projects}"),
         unmask: bool = typer.Option(False, "--unmask", help="show ID numbers and phones in full (audited)")) -> None:
    """Find persons, units and projects (at most 20 each, best first); ID numbers masked unless --unmask."""
    settings = Settings()
    with driver_for(settings) as driver:
        found = lookup(driver, settings, text, Scope(), settings.today())
        if unmask:
            n = {k: len(v) for k, v in found.items()}
            who = cli_actor()  # written before the unmasked answer is printed
            write_events(driver, settings, [event(who.user_id, who.role, "lookup", None, {"q": mask_text(text), "found": n})])
    data = public_payload(found, unmask=unmask)
    if as_json:
        echo_json(data)
        return
    t = Table("类别", "编号", "名称", "说明", "匹配")
    for p in data["persons"]:
        t.add_row("人员", p["person_id"], p["name"] or "", "、".join(p["units"]) or (p.get("title") or ""), p["matched"])
    for u in data["units"]:
        t.add_row("单位", u["unit_id"], u["name"] or "", " ".join(x for x in (u.get("province"), u.get("grade")) if x),
                  u["matched"])
    for j in data["projects"]:
        t.add_row("项目", j["project_id"], j["name"] or "", j.get("lead_unit") or "", j["matched"])
    out_console.print(t if t.row_count else "无结果")
