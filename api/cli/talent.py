"""`plantalent tag`, `plantalent portrait`, `plantalent experts search|recommend`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from api.cli.common import (
    driver_for,
    echo_json,
    optional_embedder,
    out_console,
    parse_date,
    read_request,
)
from graph.errors import InvalidInput, NotFound
from graph.settings import Settings
from queries.audit import event, write_events
from queries.experts import RecommendRequest, recommend, search_experts
from queries.users import cli_actor
from tagging.portrait import get_portrait
from tagging.tagger import run_tagging

app = typer.Typer()
experts_app = typer.Typer(help="Expert search and review-panel recommendation", no_args_is_help=True)
app.add_typer(experts_app, name="experts")


@app.command("tag")
def tag(
    force: bool = typer.Option(False, "--force", help="recompute every person, not only changed ones"),
    embed: bool = typer.Option(True, "--embed/--no-embed", help="also embed changed profile texts"),
    as_of: str | None = typer.Option(None, "--as-of", help="YYYY-MM-DD for recency and active registrations"),
    as_json: bool = typer.Option(False, "--json", help="print the run report as JSON"),
    embed_scope: str = typer.Option("all", "--embed-scope", help="all | experts (only what search and recommendation use)"),
) -> None:
    """Tag persons (taxonomy + structural tags) and embed their profiles, incrementally."""
    settings = Settings()
    day = parse_date(as_of, "--as-of")
    with driver_for(settings) as driver:
        embedder = optional_embedder(settings, embed)
        if embed_scope not in ("all", "experts"):
            raise InvalidInput(f"--embed-scope: all or experts, not {embed_scope}")
        report = run_tagging(driver, settings, as_of=day, force=force, progress=not as_json, embedder=embedder,
                             embed_scope=embed_scope)
    if as_json:
        echo_json(report.as_dict())
    else:
        typer.echo(
            f"tagged {report.changed} of {report.persons} persons ({report.tags_written} tags, {report.tag_seconds:.1f} s); "
            f"embedded {report.embedded} profiles ({report.embed_seconds:.1f} s)"
        )


@app.command("portrait")
def portrait(
    person_id: str = typer.Argument(..., help="身份证号"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    unmask: bool = typer.Option(False, "--unmask", help="show the full ID number and phone, each fact's source and the "
                                                        "history: earlier values, retired records (audited)"),
) -> None:
    """Show a person's portrait (exit 1 if the person is unknown)."""
    settings = Settings()
    with driver_for(settings) as driver:
        data = get_portrait(driver, settings, person_id, unmask=unmask, history=unmask)
        if data is not None and unmask:  # written before the portrait is shown
            who = cli_actor()
            write_events(driver, settings, [event(who.user_id, who.role, "view_portrait", person_id)])
    if data is None:
        raise NotFound(f"no person {person_id}")
    if as_json:
        echo_json(data)
        return
    _print_portrait(data)


def _print_portrait(d: dict[str, Any]) -> None:
    ident = d["identity"]
    out = out_console  # stdout: the portrait is the command's output
    out.print(f"[bold]{ident['name']}[/bold]  {d['person_id']}  {ident.get('gender') or ''}  {ident.get('birth_date') or ident.get('birth_year') or ''}  电话 {ident.get('phone') or '-'}")
    out.print(f"学历 {ident.get('education') or '-'}（{ident.get('school') or ''} {ident.get('major') or ''}）  职称 {d['title'] or '-'}")
    units = "；".join(f"{u['unit_name']}（{u['province'] or ''}）" for u in d["current_units"]) or "-"
    out.print(f"现单位 {units}  信用积分 {d['credit']['points']}  专家 {'在库' if d['expert']['in_pool'] else ('是' if d['expert']['is_expert'] else '否')}")
    p = d["projects"]
    out.print(f"项目 {p['count']} 项  层级 {p['by_level']}  角色 {p['by_role']}")
    t = Table("标签", "权重", "证据")
    for tag in d["tags"][:15]:
        ev = "；".join(f"{e['source']}:{e.get('text') or ''}" for e in tag["evidence"][:2])
        t.add_row(tag["label"], f"{tag['weight']:.1f}", ev[:60])
    out.print(t)
    for a in d["alerts"]:
        out.print(f"[red]预警[/red] {a['rule']} {a['severity']} {a['status']}: {a['summary'] or ''}")
    for v in d["violations"]:
        out.print(f"[red]违规[/red] {v['decided']} {v['category'] or ''} {v['severity'] or ''}")
    if d["collaborators"]:
        out.print("合作者 " + "，".join(f"{c['name']}({c['shared_projects']})" for c in d["collaborators"][:5]))


@experts_app.command("search")
def experts_search(
    text: str = typer.Argument("", help="tag, keyword or free text"),
    province: str | None = typer.Option(None, "--province"),
    level: str | None = typer.Option(None, "--level", help="国家级/省级/市级"),
    field: str | None = typer.Option(None, "--field", help="professional field or tag"),
    page: int = typer.Option(1, "--page", min=1),
    page_size: int = typer.Option(20, "--page-size", min=1, max=200),
    embed: bool = typer.Option(True, "--embed/--no-embed", help="hybrid with embeddings"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Search experts by tag, keyword or free text, filtered by province, level and field."""
    settings = Settings()
    with driver_for(settings) as driver:
        res = search_experts(driver, settings, q=text, province=province, level=level, field=field, page=page,
                             page_size=page_size, embedder=optional_embedder(settings, embed and bool(text.strip())))
        if as_json:  # the JSON carries ID numbers in full: audited before it is printed
            who = cli_actor()
            write_events(driver, settings, [event(who.user_id, who.role, "view_experts", None,
                                                  {"q": text, "province": province, "level": level, "field": field})])
    if as_json:
        echo_json(res)
        return
    typer.echo(f"{res['count']} experts")
    for r in res["data"]:
        tags = "、".join(t["label"] for t in r.get("tags", [])[:4])
        typer.echo(f"{r['score']:.3f}  {r['expert_id']}  {r['name']}  {r['level'] or ''}  {r['status'] or ''}  {r['province'] or ''}  {tags}")


@experts_app.command("recommend")
def experts_recommend(
    request_file: Annotated[Path, typer.Option("--json", help="REQUEST.json (DESIGN.md request)", exists=True, dir_okay=False)],
    embed: bool = typer.Option(True, "--embed/--no-embed", help="use embedding similarity"),
) -> None:
    """Recommend a review panel with conflict-of-interest avoidance; prints the JSON response."""
    request = read_request(request_file, RecommendRequest)
    settings = Settings()
    with driver_for(settings) as driver:
        res = recommend(driver, settings, request, embedder=optional_embedder(settings, embed))
        who = cli_actor()  # the panel carries ID numbers in full: audited before it is printed
        write_events(driver, settings, [event(who.user_id, who.role, "view_recommendation", None,
                                              {"text": request.text[:200], "k": request.k})])
    echo_json(res)
