"""`plantalent credit`, `plantalent cockpit` and `plantalent inspect draw` (credit supervision)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from api.cli.common import console as err_console
from api.cli.common import driver_for, out_console, parse_date
from graph.errors import InvalidInput
from graph.files import SafeDictWriter
from graph.settings import Settings
from queries.credit import compute_credit, load_config
from queries.inspect import draw, read_roster, write_draw
from queries.stats import cockpit

app = typer.Typer()
inspect_app = typer.Typer(help="双随机、一公开: random inspection draws", no_args_is_help=True)
app.add_typer(inspect_app, name="inspect")

SCOPE_LABELS = {"province": "省", "city": "市", "county": "县"}
PLACE_LABELS = {"province": "省份", "city": "城市", "county": "区县"}
CREDIT_COLUMNS = ("unit_id", "name", "province", "grade", "composite", "strength", "honours", "dishonesty",
                  "points", "credit_points", "yellow_list", "factors")


@app.command("credit")
def credit(
    as_of: Annotated[str | None, typer.Option("--as-of", help="grade as of this date (YYYY-MM-DD; default today)")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="also write the grades to this CSV")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the grades as JSON lines on stdout")] = False,
) -> None:
    """Grade every unit (信用分级: A/B/C/D), update the yellow list and write the grades into the graph."""
    settings = Settings()
    day = parse_date(as_of, "--as-of") or settings.today()
    cfg = load_config(settings)
    with driver_for(settings) as driver, err_console.status("信用评价…") as status:
        rows = compute_credit(driver, settings, day, config=cfg, progress=lambda m: status.update(m))
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            w = SafeDictWriter(fh, fieldnames=CREDIT_COLUMNS, extrasaction="ignore")
            w.writeheader()
            for r in rows:
                w.writerow({**r, "yellow_list": r["yellow_list"] or ""})
    if as_json:
        for r in rows:
            typer.echo(json.dumps({k: r[k] for k in CREDIT_COLUMNS}, ensure_ascii=False))
    grades = {g: sum(1 for r in rows if r["grade"] == g) for g in "ABCD"}
    entered = sum(1 for r in rows if r["yellow_list"] == "entered")
    left = sum(1 for r in rows if r["yellow_list"] == "left")
    on = sum(1 for r in rows if r["yellow_list"] in ("entered", "on"))
    msg = (f"credit as of {day}: {len(rows)} units graded "
           f"(A {grades['A']}, B {grades['B']}, C {grades['C']}, D {grades['D']}); "
           f"yellow list {on} (+{entered} entered, -{left} left)" + (f"; written {out}" if out else ""))
    (err_console.print if as_json else typer.echo)(msg)


def _table(title: str, header: list[str], rows: list[list[Any]]) -> Table:
    # A minimum width so narrow tables do not wrap their (Chinese, double-width) title.
    t = Table(title=title, title_justify="left", min_width=min(len(title) * 2 + 2, 120))
    for i, h in enumerate(header):
        t.add_column(h, justify="left" if i == 0 else "right")
    for r in rows:
        t.add_row(*[str(x) for x in r])
    return t


def _counts_table(title: str, label: str, counts: dict[str, int], top: int = 40) -> Table:
    return _table(title, [label, "数量"], [[k, v] for k, v in list(counts.items())[:top]])


@app.command("cockpit")
def cockpit_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="print the figures as JSON")] = False,
    unit: Annotated[str | None, typer.Option("--unit", help="restrict to one unit (统一社会信用代码)")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="date for active registrations (default today)")] = None,
    top: Annotated[int, typer.Option("--top", help="rows per place table")] = 15,
) -> None:
    """Statistics cockpit (驾驶舱): units, registered planners, plan progress, alerts."""
    settings = Settings()
    with driver_for(settings) as driver:
        data = cockpit(driver, settings, unit_id=unit.upper() if unit else None, as_of=parse_date(as_of, "--as-of"))
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    c = out_console
    u = data["units"]
    c.rule(f"驾驶舱 · as of {data['as_of']}" + (f" · 单位 {unit}" if unit else ""))
    c.print(f"单位 {u['total']}　注册规划师 {data['registered']['total']}　项目 {data['projects']['total']}　"
            f"预警 {data['alerts']['total']}　黄名单 {data['yellow_list']['total']}")
    c.print(_counts_table("单位 · 按区域", "区域", u["by_region"]))
    c.print(_counts_table("单位 · 按信用等级", "等级", u["by_credit_grade"]))
    c.print(_counts_table("单位 · 按资质等级", "资质", u["by_qualification"]))
    c.print(_counts_table("单位 · 按省份", "省份", u["by_province"], top))
    reg = data["registered"]
    c.print(_table(f"注册规划师 / 单位（平均 {reg['average']}，中位数 {reg['median']:g}，最多 {reg['max']}）",
                   ["人数区间", "单位数"], [[k, v] for k, v in reg["distribution"].items()]))
    p = data["projects"]
    levels = list(p["by_level"])
    statuses = list(p["by_status"])
    c.print(_table("项目 · 按层级与状态", ["层级", *statuses, "合计"],
                   [[lv, *[p["by_level_status"][lv].get(s, 0) for s in statuses], p["by_level"][lv]] for lv in levels]))
    for scope, keys in (("province", ("province",)), ("city", ("province", "city")),
                        ("county", ("province", "city", "county"))):
        rows = p["progress"][scope][:top]
        c.print(_table(f"规划进度 · 按{SCOPE_LABELS[scope]}（前 {top}）",
                       ["/".join(PLACE_LABELS[k] for k in keys), *statuses, "合计"],
                       [["/".join(g[k] for k in keys), *[g["by_status"].get(s, 0) for s in statuses], g["total"]]
                        for g in rows]))
    a = data["alerts"]
    rules = list(a["by_rule"])
    provs = list(a["by_province"])[:top]
    grid = {(x["rule"], x["province"]): x["n"] for x in a["by_rule_province"]}
    c.print(_table(f"预警 · 按规则与省份（前 {top} 省）", ["规则", *provs, "合计"],
                   [[r, *[grid.get((r, pv), 0) for pv in provs], a["by_rule"][r]] for r in rules]))


@inspect_app.command("draw")
def inspect_draw(
    n: Annotated[int, typer.Option("--n", min=1, help="number of units to inspect")],
    seed: Annotated[int, typer.Option("--seed", help="random seed (published with the list)")],
    province: Annotated[str | None, typer.Option("--province", help="only units of this province")] = None,
    roster: Annotated[Path | None, typer.Option("--roster", help="inspector roster CSV (inspector_id, name, person_id, unit_id, province)")] = None,
    out: Annotated[Path, typer.Option("--out", help="publishable list (CSV; metadata beside it)")] = Path("inspection-list.csv"),
    as_of: Annotated[str | None, typer.Option("--as-of", help="date for conflicts of interest (default today)")] = None,
) -> None:
    """Draw N units for inspection (risk-weighted share + uniform rest) and 2 inspectors each, avoiding conflicts."""
    settings = Settings()
    day = parse_date(as_of, "--as-of")
    try:
        inspectors = read_roster(roster) if roster else None
    except OSError as exc:
        raise InvalidInput(f"roster: {exc}") from exc
    with driver_for(settings) as driver:
        result = draw(driver, settings, n, seed, province=province, roster=inspectors, as_of=day)
    meta = write_draw(result, out)
    t = Table(title=f"双随机抽查名单 seed={seed} as_of={result.as_of} inputs={result.inputs_hash[:12]}…", title_justify="left")
    for col in ("序号", "单位", "省份", "方式", "风险权重", "检查人员", "备注"):
        t.add_column(col)
    for u in result.units:
        t.add_row(str(u.seq), f"{u.name} ({u.unit_id})", u.province, "风险加权" if u.pool == "risk" else "随机",
                  f"{u.weight:g}", "、".join(f"{i.name}({i.province})" for i in u.inspectors), u.note)
    err_console.print(t)
    typer.echo(f"drew {len(result.units)} of {result.candidates} units; list {out}, audit metadata {meta}; "
               f"inputs sha256 {result.inputs_hash}")
