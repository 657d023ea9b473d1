"""Review panels (评审专家组, DESIGN.md "Expert pool and review panels"): a batch of panels staffed
at once under the batch's rules, optimally (CP-SAT) or by a published random draw; saving a roster;
ratings after the review.

For each panel, every expert of the index is ranked as for a recommendation (queries/experts.py
``rank``) and the qualified candidates are those in the pool (在库) with no conflict of interest:
the recommendation's rules (links to an excluded unit within 3 years, a recent violation, a counting
high alert, the age limit) plus two of panels' own — a project shared, in the 3 years before as_of,
with a member of an excluded unit (the member's project row names the unit), and employment,
registration or insurance at a unit that an LK2/LK3 alert (not dismissed) relates to an excluded
unit. cooldown_days then removes experts who served on a saved panel dated in the window before
as_of. queries/assign.py does the rest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

import numpy as np
from neo4j import Driver, ManagedTransaction
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from graph.cypher import CypherFiles
from graph.db import read
from graph.errors import Conflict, NotFound, TooLarge, Unprocessable
from graph.fields import IsoDate, JsonInt, json_integer
from graph.settings import Settings
from graph.version import bump_in
from queries.assign import Candidate, PanelSpec, Problem, Rules, Solution, add_alternates, draw, greedy, solve
from queries.audit import record_in
from queries.experts import (
    IN_POOL,
    ExpertIndex,
    Ranking,
    conflict_reasons,
    live_conflicts,
    load_index,
    norm_province,
    rank,
    years_before,
)
from queries.users import Principal
from tagging.embed import Embedder
from tagging.tagger import is_full_senior

CYPHER = CypherFiles(__file__, "panels")
CONSTRAINTS = ("max_per_unit", "min_outside_province", "max_panels_per_expert", "min_senior", "cooldown_days")
SENIOR_LEVEL = "国家级"


# ---- the request ---------------------------------------------------------------------------------

class PanelConstraints(BaseModel):
    """The batch's rules; each optional (absent: not applied)."""

    model_config = ConfigDict(extra="forbid")

    max_per_unit: Annotated[int, Field(ge=1, le=50), BeforeValidator(json_integer)] | None = Field(
        None, description="experts of one panel per unit (current employment)")
    min_outside_province: Annotated[int, Field(ge=0, le=50), BeforeValidator(json_integer)] | None = Field(
        None, description="experts from outside the panel's province")
    max_panels_per_expert: Annotated[int, Field(ge=1, le=500), BeforeValidator(json_integer)] | None = Field(
        None, description="panels of this batch per expert")
    min_senior: Annotated[int, Field(ge=0, le=50), BeforeValidator(json_integer)] | None = Field(
        None, description="国家级 or 正高级 experts per panel")
    cooldown_days: Annotated[int, Field(ge=0, le=3650), BeforeValidator(json_integer)] | None = Field(
        None, description="days since a saved panel before serving again")

    @model_validator(mode="before")
    @classmethod
    def _known(cls, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(str(k) for k in data if k not in CONSTRAINTS)
            if unknown:
                raise ValueError(f"未知的约束条件 {', '.join(unknown)}（可用：{', '.join(CONSTRAINTS)}）")
        return data


class PanelIn(BaseModel):
    """One panel of a batch."""

    model_config = ConfigDict(extra="forbid")

    panel_id: str = Field(min_length=1, max_length=64, pattern=r"^[^\s/\\?#%]+$")
    text: str = Field(min_length=1, max_length=2000, description="what the panel reviews")
    k: JsonInt = Field(ge=1, le=50)
    province: str | None = Field(None, max_length=30)
    level: str | None = Field(None, max_length=20, description="project level: 省级/市级/县级/乡镇级")
    plan_type: str | None = Field(None, max_length=50)
    exclude_unit_ids: list[str] = Field(default_factory=list, max_length=200)

    @field_validator("exclude_unit_ids")
    @classmethod
    def _upper(cls, v: list[str]) -> list[str]:
        return [u.strip().upper() for u in v if u and u.strip()]


class PanelBatch(BaseModel):
    """A batch of panels to staff (`plantalent panels assign --json`, POST /api/panels/assign)."""

    model_config = ConfigDict(extra="forbid")

    as_of: IsoDate | None = None
    seed: Annotated[int, Field(ge=0, le=2**63 - 1), BeforeValidator(json_integer)] | None = Field(
        None, description="random mode: the draw's seed (required)")
    mode: Literal["optimal", "random"] = "optimal"
    alternates: JsonInt = Field(0, ge=0, le=10)
    constraints: PanelConstraints = Field(default_factory=PanelConstraints)
    # The batch-size limit is a setting (panels_max_batch), checked in assign() with a clear message.
    panels: list[PanelIn] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> PanelBatch:
        ids = [p.panel_id for p in self.panels]
        dup = sorted({i for i in ids if ids.count(i) > 1}) if len(set(ids)) < len(ids) else []
        if dup:
            raise ValueError(f"panel_id 重复：{', '.join(dup)}")
        if self.mode == "random" and self.seed is None:
            raise ValueError("random 模式须给出 seed（抽取可由 seed 复现）")
        return self

    def rules(self) -> Rules:
        c = self.constraints
        return Rules(max_per_unit=c.max_per_unit, min_outside_province=c.min_outside_province,
                     max_panels_per_expert=c.max_panels_per_expert, min_senior=c.min_senior)


# ---- conflicts of interest for a batch ------------------------------------------------------------

@dataclass
class BatchFacts:
    """What the batch's panels share: live conflict facts for every excluded (and related) unit."""

    related: dict[str, list[dict[str, Any]]]  # excluded unit -> units an LK2/LK3 alert relates to it
    live: dict[str, dict[str, Any]]  # expert_id -> {unit_links, violations, alerts, status?}
    pool: set[str]  # expert_ids 在库
    shared: dict[str, list[dict[str, Any]]]  # expert_id -> projects shared with an excluded unit's member
    titles: dict[str, str | None]
    recent: dict[str, list[dict[str, Any]]]  # expert_id -> saved panels in the cooldown window
    ratings: dict[str, list[int]]


def batch_facts(driver: Driver, settings: Settings, batch_units: list[str], as_of: date, cooldown_days: int | None) -> BatchFacts:
    """Read the facts every panel of a batch needs, once."""
    related: dict[str, list[dict[str, Any]]] = {}
    if batch_units:
        for r in read(driver, settings, CYPHER.load("related_units"), shallow=True, units=batch_units):
            related.setdefault(r["excluded"], []).append(r)
    every = sorted(set(batch_units) | {r["unit_id"] for rs in related.values() for r in rs})
    live, pool = live_conflicts(driver, settings, as_of, every)
    shared: dict[str, list[dict[str, Any]]] = {}
    if every:
        since = years_before(as_of, settings.experts.avoid_years)
        for r in read(driver, settings, CYPHER.load("shared_projects"), shallow=True, units=every, as_of=as_of,
                      since=since):
            shared.setdefault(r["expert_id"], []).append(r)
    since_cool = as_of - timedelta(days=cooldown_days - 1) if cooldown_days else None
    titles, recent, ratings = {}, {}, {}
    for r in read(driver, settings, CYPHER.load("pool"), shallow=True, as_of=as_of, since=since_cool):
        titles[r["expert_id"]] = r["title"]
        if r["recent"]:
            recent[r["expert_id"]] = r["recent"]
        if r["ratings"]:
            ratings[r["expert_id"]] = r["ratings"]
    return BatchFacts(related, live, pool, shared, titles, recent, ratings)


def _panel_units(panel: PanelIn, facts: BatchFacts) -> dict[str, str]:
    """The units a panel avoids: each excluded unit (""), and each unit related to one by an LK2/LK3
    alert (unit_id -> how it is related)."""
    out = {u: "" for u in panel.exclude_unit_ids}
    for u in panel.exclude_unit_ids:
        for r in facts.related.get(u, []):
            out.setdefault(r["unit_id"], f"经{r['rule']}预警{r['alert_id']}与回避单位{u}关联")
    return out


def panel_conflicts(expert: dict[str, Any], facts: BatchFacts, settings: Settings, as_of: date,
                    units: dict[str, str]) -> list[str]:
    """Why ``expert`` (an index row with its day facts) may not sit on a panel that avoids ``units``
    (see _panel_units); empty if free."""
    eid = expert["expert_id"]
    live = facts.live.get(eid) or {"unit_links": [], "violations": [], "alerts": []}
    links = [{**link, "unit": f"{link['unit'] or link['unit_id']}〔{units[link['unit_id']]}〕"} if units[link["unit_id"]] else link
             for link in live["unit_links"] if link["unit_id"] in units]
    c = {**expert, **live, "unit_links": links, "status": IN_POOL if eid in facts.pool else live.get("status")}
    reasons = conflict_reasons(c, settings, as_of)
    for s in facts.shared.get(eid, []):
        if s["unit_id"] in units:
            how = f"〔{units[s['unit_id']]}〕" if units[s["unit_id"]] else ""
            reasons.append(f"共同项目：近{settings.experts.avoid_years}年与回避单位{s['unit_id']}{how}人员"
                           f"{s['colleague'] or ''}共同参与项目{s['project'] or ''}（{s['project_id']}）")
    return reasons


def _touches(eid: str, facts: BatchFacts, units: dict[str, str]) -> bool:
    """Whether an expert is linked to a unit the panel avoids (worth listing among the excluded)."""
    live = facts.live.get(eid) or {}
    return (any(link["unit_id"] in units for link in live.get("unit_links", []))
            or any(s["unit_id"] in units for s in facts.shared.get(eid, [])))


# ---- assignment -----------------------------------------------------------------------------------

def _senior(row: dict[str, Any], title: str | None) -> bool:
    return row.get("level") == SENIOR_LEVEL or is_full_senior(title or "")


def _rating_bonus(settings: Settings, ratings: list[int] | None) -> float:
    if not ratings or not settings.panels_rating_weight:
        return 0.0
    return settings.panels_rating_weight * (sum(ratings) / len(ratings) - 3) / 2


@dataclass
class _Panel:
    spec: PanelIn
    ranking: Ranking
    scores: np.ndarray
    qualified: list[int]  # index rows
    eligible: list[int]  # qualified and not cooling down
    excluded: list[dict[str, str]]


def _prepare(driver: Driver, settings: Settings, batch: PanelBatch, idx: ExpertIndex, facts: BatchFacts,
             as_of: date, embedder: Embedder | None) -> list[_Panel]:
    ex = settings.experts
    day = idx.day_facts(as_of, ex.max_age)
    bonus = np.array([_rating_bonus(settings, facts.ratings.get(r["expert_id"])) for r in idx.rows]) if idx.rows else np.zeros(0)
    # Experts who could conflict at all: not in the pool, too old, or with any live fact or shared project.
    suspects = {i for i, r in enumerate(idx.rows) if r["expert_id"] not in facts.pool}
    suspects.update(idx.row_of_expert[e] for e in (*facts.live, *facts.shared) if e in idx.row_of_expert)
    suspects.update(np.flatnonzero(day.too_old).tolist())
    out = []
    for panel in batch.panels:
        ranking = rank(driver, settings, idx, panel.text, plan_type=panel.plan_type, level=panel.level,
                       province=panel.province, as_of=as_of, embedder=embedder)
        scores = np.round(ranking.score + bonus, 4)
        units = _panel_units(panel, facts)
        lexical = ranking.comp.lexical_ids()
        blocked: set[int] = set()
        excluded: list[tuple[bool, float, dict[str, str]]] = []
        for i in sorted(suspects):
            r = idx.rows[i]
            reasons = panel_conflicts({**r, **day.units[i]}, facts, settings, as_of, units)
            if reasons:
                blocked.add(i)
                relevant = r["person_id"] in lexical or _touches(r["expert_id"], facts, units)
                if r["expert_id"] in facts.pool or relevant:
                    excluded.append((relevant, float(scores[i]), {"expert_id": r["expert_id"], "reason": "；".join(reasons)}))
        order = np.lexsort((idx.eid_rank, -scores))
        qualified = [int(i) for i in order if int(i) not in blocked]
        if len(qualified) < panel.k:
            raise Unprocessable(f"评审组 {panel.panel_id}：k={panel.k} 大于合格专家人数 {len(qualified)}"
                               f"（在库且无利益冲突的专家）")
        eligible = []
        for i in qualified:
            served = facts.recent.get(idx.rows[i]["expert_id"])
            if served:
                excluded.append((True, float(scores[i]), {
                    "expert_id": idx.rows[i]["expert_id"],
                    "reason": f"cooldown_days：{served[0]['as_of']}参加评审组{served[0]['panel_id']}，"
                              f"距{as_of.isoformat()}不足{batch.constraints.cooldown_days}天"}))
            else:
                eligible.append(i)
        excluded.sort(key=lambda x: (not x[0], -x[1], x[2]["expert_id"]))
        out.append(_Panel(panel, ranking, scores, qualified, eligible, [e for _, _, e in excluded[: ex.max_excluded]]))
    return out


def _problem(batch: PanelBatch, prepared: list[_Panel], idx: ExpertIndex, facts: BatchFacts, as_of: date,
             settings: Settings) -> tuple[Problem, list[int]]:
    """The solver's problem over the panels that have k eligible candidates (their positions)."""
    day = idx.day_facts(as_of, settings.experts.max_age)
    rows: dict[int, int] = {}  # index row -> candidate index
    experts: list[Candidate] = []
    specs, kept = [], []
    for pos, pp in enumerate(prepared):
        if len(pp.eligible) < pp.spec.k:
            continue
        scores = {}
        for i in pp.eligible:
            if i not in rows:
                r = idx.rows[i]
                rows[i] = len(experts)
                experts.append(Candidate(r["expert_id"], day.units[i]["unit_id"], day.provinces[i],
                                         _senior(r, facts.titles.get(r["expert_id"]))))
            scores[rows[i]] = float(pp.scores[i])
        specs.append(PanelSpec(pp.spec.panel_id, pp.spec.k, norm_province(pp.spec.province), scores))
        kept.append(pos)
    return Problem(experts, specs, batch.rules()), kept


@dataclass
class Batch:
    """A batch ready to solve: its panels ranked and filtered, and the solver's problem."""

    request: PanelBatch
    as_of: date
    index: ExpertIndex
    panels: list[_Panel]
    problem: Problem
    kept: list[int]  # positions of the panels in the problem (the others lack eligible experts)


def prepare(driver: Driver, settings: Settings, batch: PanelBatch, *, embedder: Embedder | None = None,
            index: ExpertIndex | None = None) -> Batch:
    """Rank every panel's experts, apply conflicts of interest and cooldown, and state the problem."""
    if len(batch.panels) > settings.panels_max_batch:
        raise TooLarge(f"一批至多 {settings.panels_max_batch} 个评审组（PLANTALENT_PANELS_MAX_BATCH），"
                       f"本批 {len(batch.panels)} 个：请分批提交")
    idx = index or load_index(driver, settings)
    as_of = batch.as_of or settings.today()
    units = sorted({u for p in batch.panels for u in p.exclude_unit_ids})
    facts = batch_facts(driver, settings, units, as_of, batch.constraints.cooldown_days)
    panels = _prepare(driver, settings, batch, idx, facts, as_of, embedder)
    problem, kept = _problem(batch, panels, idx, facts, as_of, settings)
    return Batch(batch, as_of, idx, panels, problem, kept)


def run(settings: Settings, b: Batch, method: Literal["optimal", "random", "greedy"]) -> Solution:
    """Solve a prepared batch: the optimum, the seeded draw, or the greedy per-panel baseline."""
    if method == "greedy":
        return greedy(b.problem)
    if method == "random":
        return draw(b.problem, b.request.seed or 0, top_factor=settings.panels.top_factor)
    return solve(b.problem, limit=settings.panels.solver_limit)


def assign(driver: Driver, settings: Settings, batch: PanelBatch, *, embedder: Embedder | None = None,
           index: ExpertIndex | None = None, actor: str = "cli", method: Literal["greedy"] | None = None) -> dict[str, Any]:
    """Staff a batch of panels: {panels: [...], infeasible: [...]} (DESIGN.md), plus each panel's
    ``excluded`` experts with reasons and its rule ``checks``, ``optimal`` (the solver proved it) and,
    for a random draw, the ``draw_id`` of its published record. ``method`` "greedy" runs the
    per-panel baseline instead (tests, benchmarks)."""
    b = prepare(driver, settings, batch, embedder=embedder, index=index)
    drawn = batch.mode == "random" and method is None
    sol = run(settings, b, method or batch.mode)
    add_alternates(b.problem, sol, batch.alternates, seed=batch.seed if drawn else None,
                   top_factor=settings.panels.top_factor)
    out = _response(b, sol)
    if drawn:
        out["draw_id"] = _record_draw(driver, settings, batch, b.as_of, out, sol, b.index, actor)
    return out


def _expert_out(idx: ExpertIndex, pp: _Panel, i: int, problem: Problem, e: int) -> dict[str, Any]:
    r = idx.rows[i]
    unit = pp.ranking.day.units[i]
    return {"expert_id": r["expert_id"], "person_id": r["person_id"], "name": r["name"], "unit_id": unit["unit_id"],
            "unit_name": unit["unit_name"], "province": unit["province"], "level": r["level"],
            "senior": problem.experts[e].senior, "score": float(pp.scores[i]), "reasons": pp.ranking.reasons(idx, i)}


def _response(b: Batch, sol: Solution) -> dict[str, Any]:
    batch, prepared, problem, kept, idx, as_of = b.request, b.panels, b.problem, b.kept, b.index, b.as_of
    row_of = {c.expert_id: idx.row_of_expert[c.expert_id] for c in problem.experts}
    where = {pos: p for p, pos in enumerate(kept)}
    panels: list[dict[str, Any]] = []
    infeasible: list[dict[str, Any]] = []
    for pos, pp in enumerate(prepared):
        p = where.get(pos)
        if p is None:
            infeasible.append({"panel_id": pp.spec.panel_id, "constraint": "cooldown_days",
                               "reason": f"cooldown_days：合格专家{len(pp.qualified)}人，其中"
                                         f"{len(pp.qualified) - len(pp.eligible)}人在{batch.constraints.cooldown_days}天内"
                                         f"参加过评审组，余{len(pp.eligible)}人，少于所需{pp.spec.k}人",
                               "excluded": pp.excluded})
            continue
        if p in sol.unfilled:
            u = sol.unfilled[p]
            infeasible.append({"panel_id": pp.spec.panel_id, "constraint": u.constraint, "reason": u.reason,
                               "excluded": pp.excluded})
            continue
        members = [_expert_out(idx, pp, row_of[problem.experts[e].expert_id], problem, e)
                   for e in sol.members[p]]
        alternates = [_expert_out(idx, pp, row_of[problem.experts[e].expert_id], problem, e)
                      for e in sol.alternates.get(p, [])]
        panels.append({"panel_id": pp.spec.panel_id, "text": pp.spec.text, "k": pp.spec.k, "province": pp.spec.province,
                       "level": pp.spec.level, "exclude_unit_ids": pp.spec.exclude_unit_ids, "experts": members,
                       "alternates": alternates, "objective": sol.objective(problem, p),
                       "checks": _checks(batch, problem, p, sol.members[p]), "excluded": pp.excluded,
                       "candidates": len(pp.eligible)})
    return {"as_of": as_of.isoformat(), "mode": batch.mode, "panels": panels, "infeasible": infeasible,
            "objective": round(sum(p["objective"] for p in panels), 4), "optimal": sol.optimal}


def _checks(batch: PanelBatch, problem: Problem, p: int, members: list[int]) -> list[dict[str, Any]]:
    """Each rule of the batch as the panel meets it (for the page: met or broken, with the figures)."""
    c, out = batch.constraints, []
    experts = [problem.experts[e] for e in members]
    if c.max_per_unit is not None:
        per: dict[str, int] = {}
        for x in experts:
            per[x.unit_id or x.expert_id] = per.get(x.unit_id or x.expert_id, 0) + 1
        most = max(per.values(), default=0)
        out.append({"constraint": "max_per_unit", "required": c.max_per_unit, "actual": most, "met": most <= c.max_per_unit})
    if c.min_outside_province is not None:
        n = sum(problem.outside(p, e) for e in members)
        need = problem.need_outside(p)
        out.append({"constraint": "min_outside_province", "required": need, "actual": n, "met": n >= need})
    if c.min_senior is not None:
        n = sum(x.senior for x in experts)
        out.append({"constraint": "min_senior", "required": c.min_senior, "actual": n, "met": n >= c.min_senior})
    return out


def _record_draw(driver: Driver, settings: Settings, batch: PanelBatch, as_of: date, out: dict[str, Any], sol: Solution,
                 idx: ExpertIndex, actor: str) -> str:
    names = {r["expert_id"]: r["name"] for r in idx.rows}
    panels = []
    for rec in sol.draws:
        rec = dict(rec)
        rec["candidates"] = [{**c, "name": names.get(str(c["expert_id"]))} for c in rec["candidates"]]  # type: ignore[attr-defined]
        panels.append(rec)
    alternates = {p["panel_id"]: [a["expert_id"] for a in p["alternates"]] for p in out["panels"]}
    record = {"method": "sha256(f'{seed}|{panel_id}|{seat}') mod len(eligible)", "panels": panels,
              "alternates": alternates, "infeasible": [{k: v for k, v in i.items() if k != "excluded"} for i in out["infeasible"]]}
    request = batch.model_dump(mode="json")
    request["as_of"] = as_of.isoformat()
    text = json.dumps({"request": request, "record": record}, ensure_ascii=False, sort_keys=True)
    draw_id = "D-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    row = {"draw_id": draw_id, "seed": batch.seed, "as_of": as_of, "mode": batch.mode,
           "request": json.dumps(request, ensure_ascii=False, sort_keys=True),
           "record": json.dumps(record, ensure_ascii=False, sort_keys=True)}
    with driver.session(database=settings.neo4j_database) as session:
        session.execute_write(lambda tx: tx.run(CYPHER.load("draw_record"), draw=row, now=datetime.now(UTC), actor=actor).consume())
    return draw_id


def get_draw(driver: Driver, settings: Settings, draw_id: str) -> dict[str, Any]:
    """A recorded draw as published: the request, and per panel the candidates, each seat's eligible
    list and drawn expert, the roster and alternates."""
    rows = read(driver, settings, CYPHER.load("draw_get"), draw_id=draw_id)
    if not rows:
        raise NotFound(f"no draw {draw_id}")
    r = rows[0]
    return {**r, "request": json.loads(r["request"]), "record": json.loads(r["record"])}


# ---- after the assignment: saving, ratings --------------------------------------------------------

class PanelSaveIn(BaseModel):
    """A roster to keep: the panel as assigned, or with alternates swapped in."""

    model_config = ConfigDict(extra="forbid")

    as_of: IsoDate = Field(description="the review date (cooldown counts from it)")
    text: str = Field(min_length=1, max_length=2000)
    province: str | None = Field(None, max_length=30)
    level: str | None = Field(None, max_length=20)
    plan_type: str | None = Field(None, max_length=50)
    exclude_unit_ids: list[str] = Field(default_factory=list, max_length=200)
    experts: list[str] = Field(min_length=1, max_length=50, description="expert_id of the members")
    alternates: list[str] = Field(default_factory=list, max_length=10)
    draw_id: str | None = Field(None, max_length=40)
    mode: Literal["optimal", "random", "manual"] | None = None

    @field_validator("exclude_unit_ids")
    @classmethod
    def _upper(cls, v: list[str]) -> list[str]:
        return [u.strip().upper() for u in v if u and u.strip()]

    @model_validator(mode="after")
    def _distinct(self) -> PanelSaveIn:
        everyone = [*self.experts, *self.alternates]
        if len(set(everyone)) != len(everyone):
            raise ValueError("同一专家在名单中出现多次")
        return self


def save_panel(driver: Driver, settings: Settings, panel_id: str, body: PanelSaveIn, *, who: Principal,
               index: ExpertIndex | None = None) -> dict[str, Any]:
    """Keep a panel's roster. Every member must still be free of conflicts of interest for the
    panel on its date (422 naming each one); a panel id saved before answers its roster when the
    roster is the same and 409 when it differs."""
    existing = get_panel(driver, settings, panel_id, missing_ok=True)
    if existing is not None:
        if _roster(existing) == (body.experts, body.alternates):
            return existing
        raise Conflict(f"评审组 {panel_id} 已保存，名单不可更改")
    everyone = [*body.experts, *body.alternates]
    found = {r["expert_id"]: r for r in read(driver, settings, CYPHER.load("experts_of"), shallow=True, ids=everyone)}
    missing = [e for e in everyone if e not in found]
    if missing:
        raise Unprocessable(f"未知的专家编号：{', '.join(missing)}")
    idx = index or load_index(driver, settings)
    panel = PanelIn(panel_id=panel_id, text=body.text, k=len(body.experts), province=body.province, level=body.level,
                    plan_type=body.plan_type, exclude_unit_ids=body.exclude_unit_ids)
    facts = batch_facts(driver, settings, body.exclude_unit_ids, body.as_of, None)
    units = _panel_units(panel, facts)
    day = idx.day_facts(body.as_of, settings.experts.max_age)
    problems = []
    for eid in body.experts:
        i = idx.row_of_expert.get(eid)
        row = {**idx.rows[i], **day.units[i]} if i is not None else {**found[eid], "birth_date": None}
        reasons = panel_conflicts(row, facts, settings, body.as_of, units)
        if reasons:
            problems.append({"loc": ["experts", eid], "msg": "；".join(reasons), "type": "conflict_of_interest"})
    if problems:
        raise Unprocessable(f"评审组 {panel_id} 有{len(problems)}位专家存在回避情形，未保存", errors=problems)
    members = [{"expert_id": e, "role": "member", "seat": n, "score": None} for n, e in enumerate(body.experts, 1)]
    members += [{"expert_id": e, "role": "alternate", "seat": n, "score": None} for n, e in enumerate(body.alternates, 1)]
    props = {"panel_id": panel_id, "text": body.text, "province": body.province, "level": body.level,
             "plan_type": body.plan_type, "k": len(body.experts), "as_of": body.as_of,
             "exclude_unit_ids": body.exclude_unit_ids, "draw_id": body.draw_id, "mode": body.mode}

    def work(tx: ManagedTransaction) -> bool:
        rows = list(tx.run(CYPHER.load("save"), panel=props, members=members, now=datetime.now(UTC), actor=who.user_id))
        if rows:
            record_in(tx, who, "panel_save", panel_id, {"experts": body.experts, "alternates": body.alternates})
            bump_in(tx, "panel saved")
        return bool(rows)

    with driver.session(database=settings.neo4j_database) as session:
        if not session.execute_write(work):  # saved meanwhile by another request
            return save_panel(driver, settings, panel_id, body, who=who, index=idx)
    return get_panel(driver, settings, panel_id) or {}


def _roster(panel: dict[str, Any]) -> tuple[list[str], list[str]]:
    return ([m["expert_id"] for m in panel["roster"] if m["role"] == "member"],
            [m["expert_id"] for m in panel["roster"] if m["role"] == "alternate"])


def get_panel(driver: Driver, settings: Settings, panel_id: str, *, missing_ok: bool = False) -> dict[str, Any] | None:
    """A saved panel with its roster and ratings."""
    rows = read(driver, settings, CYPHER.load("get"), panel_id=panel_id)
    if not rows:
        if missing_ok:
            return None
        raise NotFound(f"no panel {panel_id}")
    return {**rows[0]["panel"], "roster": rows[0]["roster"]}


def list_panels(driver: Driver, settings: Settings, page: int = 1, page_size: int = 50) -> dict[str, Any]:
    """Saved panels, newest review first: {data, count}."""
    rows = read(driver, settings, CYPHER.load("list"), skip=(page - 1) * page_size, limit=page_size)
    return {"data": rows[0]["data"], "count": rows[0]["count"]} if rows else {"data": [], "count": 0}


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expert_id: str = Field(min_length=1, max_length=64)
    rating: JsonInt = Field(ge=1, le=5, description="1 (poor) … 5 (excellent)")
    comment: str | None = Field(None, max_length=500)


class RatingsIn(BaseModel):
    """Ratings of a saved panel's members after the review."""

    model_config = ConfigDict(extra="forbid")
    ratings: list[RatingIn] = Field(min_length=1, max_length=50)


def rate_panel(driver: Driver, settings: Settings, panel_id: str, body: RatingsIn, *, who: Principal) -> dict[str, Any]:
    """Rate members of a saved panel (1–5) once its review date has come; a later rating replaces one."""
    panel = get_panel(driver, settings, panel_id)
    assert panel is not None
    if date.fromisoformat(panel["as_of"]) > settings.today():
        raise Conflict(f"评审组 {panel_id} 的评审日期 {panel['as_of']} 尚未到，评审后方可评分")
    members, _ = _roster(panel)
    strangers = [r.expert_id for r in body.ratings if r.expert_id not in members]
    if strangers:
        raise Unprocessable(f"不是评审组 {panel_id} 的成员：{', '.join(strangers)}",
                           errors=[{"loc": ["ratings", e], "msg": "not a member of the panel", "type": "value_error"}
                                   for e in strangers])
    ratings = [r.model_dump() for r in body.ratings]

    def work(tx: ManagedTransaction) -> None:
        tx.run(CYPHER.load("rate"), panel_id=panel_id, ratings=ratings, now=datetime.now(UTC), actor=who.user_id).consume()
        record_in(tx, who, "panel_ratings", panel_id, {"ratings": ratings})
        bump_in(tx, "panel ratings")

    with driver.session(database=settings.neo4j_database) as session:
        session.execute_write(work)
    return get_panel(driver, settings, panel_id) or {}
