"""Experts for a batch of review panels under the batch's rules: the optimal assignment (OR-Tools
CP-SAT), the reproducible random draw, a greedy per-panel baseline, alternates (备选), and the rule
that leaves a panel unfilled. Pure: scores and facts in, expert indices out (queries/panels.py reads
the graph).

Why CP-SAT and not min-cost flow: a flow network carries "at most one expert per unit" (a unit node
of capacity 1 per panel) and "at most M panels per expert" (the expert's source arc), but not the
panel's lower bounds on overlapping groups — "≥ 1 senior" and "≥ 1 from outside the province" both
count an expert who is senior *and* from outside once per seat, which no single flow expresses.
CP-SAT takes the integer model as written (one 0/1 variable per panel × qualified expert, linear
rules), proves the optimum and, run with one worker, returns the same answer for the same model; its
work limit is counted in deterministic time, so even a capped run answers the same way twice. The
whole model is not handed to it: ``_restricted`` solves a small one (each panel's best candidates
and those the LP relaxation's duals price in) and proves its answer optimal for the whole one by
weak LP duality and reduced-cost fixing (the argument is in its docstring).

The random draw is published, so it is meant to be checked by hand: at each seat of each panel (in
request order) the eligible list is the first top_factor × k candidates, by score then expert_id,
whose addition keeps the panel completable under every rule, and the drawn one is
``eligible[sha256(f"{seed}|{panel_id}|{seat}") mod len(eligible)]``.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

SCALE = 10_000  # scores (rounded to 4 decimals) as integers for CP-SAT
# Rule names of a batch request, in the order an unfillable panel's diagnosis tries them.
PANEL_RULES = ("max_per_unit", "min_senior", "min_outside_province")


@dataclass(frozen=True)
class Rules:
    """The batch's rules (None: not asked for). cooldown_days is applied before assignment."""

    max_per_unit: int | None = None
    min_outside_province: int | None = None
    max_panels_per_expert: int | None = None
    min_senior: int | None = None


@dataclass(frozen=True)
class Candidate:
    """An expert qualified for at least one panel: current employer, province (normalised), senior."""

    expert_id: str
    unit_id: str | None
    province: str | None
    senior: bool


@dataclass
class PanelSpec:
    """A panel to fill: ``scores`` maps each qualified candidate's index to its relevance."""

    panel_id: str
    k: int
    province: str | None
    scores: dict[int, float]


@dataclass
class Problem:
    experts: list[Candidate]
    panels: list[PanelSpec]
    rules: Rules

    def ranked(self, p: int, pool: Iterable[int] | None = None) -> list[int]:
        """Candidates of panel ``p`` (or ``pool``), best first; ties by expert_id."""
        scores = self.panels[p].scores
        return sorted(scores if pool is None else pool, key=lambda e: (-scores[e], self.experts[e].expert_id))

    def outside(self, p: int, e: int) -> bool:
        prov = self.experts[e].province
        return prov is not None and prov != self.panels[p].province

    def need_outside(self, p: int) -> int:
        # A panel without a province has no "outside".
        return (self.rules.min_outside_province or 0) if self.panels[p].province else 0

    def need_senior(self, p: int) -> int:
        return self.rules.min_senior or 0


@dataclass(frozen=True)
class Unfilled:
    constraint: str
    reason: str


@dataclass
class Solution:
    members: dict[int, list[int]] = field(default_factory=dict)  # panel -> experts, best first
    unfilled: dict[int, Unfilled] = field(default_factory=dict)
    alternates: dict[int, list[int]] = field(default_factory=dict)
    optimal: bool | None = None  # CP-SAT proved the optimum (None: not the solver)
    seconds: float = 0.0
    draws: list[dict[str, object]] = field(default_factory=list)  # random mode: the published record
    stats: dict[str, Any] = field(default_factory=dict)  # the solver's rounds, model sizes, proof

    def objective(self, problem: Problem, p: int) -> float:
        return round(sum(problem.panels[p].scores[e] for e in self.members.get(p, [])), 4)

    def total(self, problem: Problem) -> float:
        return round(sum(self.objective(problem, p) for p in self.members), 4)


# ---- one panel: does a set keep every rule completable? -------------------------------------------

def _unit_of(problem: Problem, e: int) -> str:
    # An expert without a current employer is a unit of their own for max_per_unit.
    return problem.experts[e].unit_id or f"\x00{problem.experts[e].expert_id}"


def satisfies(problem: Problem, p: int, members: Sequence[int]) -> bool:
    """Whether a full panel keeps every panel rule."""
    cap = problem.rules.max_per_unit
    if cap is not None and max(Counter(_unit_of(problem, e) for e in members).values(), default=0) > cap:
        return False
    if sum(problem.experts[e].senior for e in members) < problem.need_senior(p):
        return False
    return sum(problem.outside(p, e) for e in members) >= problem.need_outside(p)


class PanelCheck:
    """Can panel ``p`` be completed from ``pool`` once ``chosen`` (a few of the pool) sit on it? A
    quick witness first (seniors from outside the province, then seniors, then outsiders, then
    anyone, within unit caps); CP-SAT, exact, only when the witness fails. ``rules``: the panel
    rules that count (all by default; fewer when diagnosing)."""

    def __init__(self, problem: Problem, p: int, pool: Sequence[int], rules: Iterable[str] = PANEL_RULES) -> None:
        self.problem, self.p, self.pool = problem, p, list(pool)
        rules = set(rules)
        self.cap = problem.rules.max_per_unit if "max_per_unit" in rules else None
        self.need_s = problem.need_senior(p) if "min_senior" in rules else 0
        self.need_o = problem.need_outside(p) if "min_outside_province" in rules else 0
        self.kinds: list[list[int]] = [[], [], [], []]
        for e in self.pool:
            self.kinds[self._kind(e)].append(e)

    def _kind(self, e: int) -> int:
        s, o = self.problem.experts[e].senior, self.problem.outside(self.p, e)
        return 0 if s and o else 1 if s else 2 if o else 3

    def completable(self, chosen: Sequence[int]) -> bool:
        problem, k = self.problem, self.problem.panels[self.p].k
        r = k - len(chosen)
        need_s = max(0, self.need_s - sum(problem.experts[e].senior for e in chosen))
        need_o = max(0, self.need_o - sum(problem.outside(self.p, e) for e in chosen))
        if r < 0 or r < need_s or r < need_o:
            return False
        used = Counter(_unit_of(problem, e) for e in chosen)
        if self.cap is not None and any(n > self.cap for n in used.values()):
            return False
        skip = set(chosen)
        return self._witness(r, need_s, need_o, used, skip) or self._exact(r, need_s, need_o, used, skip)

    def _witness(self, r: int, need_s: int, need_o: int, used: Counter[str], skip: set[int]) -> bool:
        units, picked = Counter(used), set(skip)
        for kind in (0, 1, 2):
            for e in self.kinds[kind]:
                wanted = need_s > 0 if kind == 1 else need_o > 0 if kind == 2 else need_s > 0 or need_o > 0
                if not wanted or len(picked) - len(skip) >= r:
                    break
                u = _unit_of(self.problem, e)
                if e in picked or (self.cap is not None and units[u] >= self.cap):
                    continue
                units[u] += 1
                picked.add(e)
                need_s -= kind in (0, 1)
                need_o -= kind in (0, 2)
        if need_s > 0 or need_o > 0:
            return False
        for group in self.kinds:
            for e in group:
                if len(picked) - len(skip) >= r:
                    return True
                u = _unit_of(self.problem, e)
                if e in picked or (self.cap is not None and units[u] >= self.cap):
                    continue
                units[u] += 1
                picked.add(e)
        return len(picked) - len(skip) >= r

    def _exact(self, r: int, need_s: int, need_o: int, used: Counter[str], skip: set[int]) -> bool:
        problem = self.problem
        m = cp_model.CpModel()
        x = {e: m.new_bool_var(f"x{e}") for e in self.pool if e not in skip}
        m.add(sum(x.values()) == r)
        if need_s:
            m.add(sum(v for e, v in x.items() if problem.experts[e].senior) >= need_s)
        if need_o:
            m.add(sum(v for e, v in x.items() if problem.outside(self.p, e)) >= need_o)
        if self.cap is not None:
            per_unit: dict[str, list[cp_model.IntVar]] = {}
            for e, v in x.items():
                per_unit.setdefault(_unit_of(problem, e), []).append(v)
            for u, vs in per_unit.items():
                if len(vs) + used[u] > self.cap:
                    m.add(sum(vs) <= self.cap - used[u])
        return _solver(60.0).solve(m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _solver(limit: float) -> cp_model.CpSolver:
    s = cp_model.CpSolver()
    # One worker: the same model gives the same answer (several workers race to it).
    s.parameters.num_workers = 1
    s.parameters.random_seed = 0
    s.parameters.max_deterministic_time = limit
    # The LP relaxation of the panel models is tight (often integral); with the full linearisation
    # CP-SAT's own LP sees it and proves the optimum at once (the default level took minutes on
    # 1,000 columns of the national batch).
    s.parameters.linearization_level = 2
    return s


# ---- why a panel cannot be filled -----------------------------------------------------------------

def diagnose(problem: Problem, p: int, pool: Sequence[int], *, batch_pool: Sequence[int] | None = None) -> Unfilled:
    """The rule that makes panel ``p`` unfillable from ``pool``. ``batch_pool``: the panel's own
    candidates before the batch's other panels took theirs (a panel fillable from it but not from
    ``pool`` is blocked by max_panels_per_expert)."""
    panel = problem.panels[p]
    if len(pool) < panel.k and (batch_pool is None or len(batch_pool) < panel.k):
        return Unfilled("k", f"合格候选专家仅{len(pool)}人，少于所需{panel.k}人")
    if batch_pool is not None and PanelCheck(problem, p, batch_pool).completable([]):
        return Unfilled("max_panels_per_expert",
                        f"max_panels_per_expert：本组可用的合格专家已被本批次其他评审组占用"
                        f"（每位专家至多{problem.rules.max_panels_per_expert}个评审组）")
    if len(pool) < panel.k:
        return Unfilled("k", f"合格候选专家仅{len(pool)}人，少于所需{panel.k}人")
    alone = [r for r in PANEL_RULES if not PanelCheck(problem, p, pool, [r]).completable([])]
    if not alone:  # only a combination binds
        for i, a in enumerate(PANEL_RULES):
            for b in PANEL_RULES[i + 1:]:
                if not PanelCheck(problem, p, pool, [a, b]).completable([]):
                    alone = [a, b]
                    break
            if alone:
                break
        alone = alone or list(PANEL_RULES)
    return Unfilled("+".join(alone), "；".join(_explain(problem, p, r, pool) for r in alone))


def _explain(problem: Problem, p: int, rule: str, pool: Sequence[int]) -> str:
    rules, k = problem.rules, problem.panels[p].k
    units = {_unit_of(problem, e) for e in pool}
    if rule == "max_per_unit":
        return f"max_per_unit：合格候选专家来自{len(units)}个单位，每单位至多{rules.max_per_unit}人，凑不足{k}人"
    if rule == "min_senior":
        seniors = [e for e in pool if problem.experts[e].senior]
        return (f"min_senior：合格候选中国家级/正高级专家{len(seniors)}人"
                f"（{len({_unit_of(problem, e) for e in seniors})}个单位），少于要求的{rules.min_senior}人")
    outs = [e for e in pool if problem.outside(p, e)]
    return (f"min_outside_province：合格候选中{problem.panels[p].province}省外专家{len(outs)}人"
            f"（{len({_unit_of(problem, e) for e in outs})}个单位），少于要求的{rules.min_outside_province}人")


# ---- the optimum (CP-SAT) -------------------------------------------------------------------------

def relevant(problem: Problem, p: int) -> list[int]:
    """The candidates of panel ``p`` that some optimal assignment may use (the others are dropped
    from the model, exactly). Exchange argument: a member e outside this set can be replaced by a
    kept candidate c that scores at least as much, is senior / from outside whenever e is, is in a
    unit with no other member of the panel and is below max_panels_per_expert. Such a c exists when,
    for each kind of expert, the best candidates of that kind kept span k + B units, B being the
    most experts the other panels' seats can put at their cap (the other k − 1 members block at
    most k − 1 units, the capped experts at most B candidates)."""
    panel = problem.panels[p]
    cap = problem.rules.max_panels_per_expert
    seats = sum(q.k for q in problem.panels)
    need = panel.k + ((seats - panel.k) // cap if cap else 0)
    ranked = problem.ranked(p)
    keep: set[int] = set()
    kinds: tuple[Callable[[int], bool], ...] = (
        lambda e: True, lambda e: problem.experts[e].senior, lambda e: problem.outside(p, e),
        lambda e: problem.experts[e].senior and problem.outside(p, e))
    for kind in kinds:
        units: set[str] = set()
        for e in ranked:
            if kind(e):
                keep.add(e)
                units.add(_unit_of(problem, e))
                if len(units) >= need:
                    break
    return [e for e in ranked if e in keep]


def solve(problem: Problem, *, limit: float = 60.0, restricted: bool = True) -> Solution:
    """The assignment that fills as many panels as possible and, among those, maximises the sum of
    relevance scores, under every rule (CP-SAT; deterministic).

    ``restricted`` (the default) solves a small model and proves its answer optimal for the whole
    one (``_restricted``: LP duals and reduced costs); False solves one model holding each panel's
    ``relevant`` candidates, the way it was done before (the benchmark's baseline). Either way a
    batch that cannot be filled whole is solved with a "filled" variable per panel."""
    began = time.perf_counter()
    sol = Solution()
    live = []
    for p, panel in enumerate(problem.panels):
        pool = list(panel.scores)
        if PanelCheck(problem, p, pool).completable([]):
            live.append(p)
        else:
            sol.unfilled[p] = diagnose(problem, p, pool)
    if restricted:
        status, filled, sol.stats = _restricted(problem, live, limit)
    else:
        pools = {p: relevant(problem, p) for p in live}
        status, filled = _fill_most(problem, live, pools, limit)
        sol.stats = {"variables": sum(len(v) for v in pools.values())}
    sol.optimal = status == cp_model.OPTIMAL
    for p in live:
        if p in filled:
            sol.members[p] = filled[p]
        else:
            sol.unfilled[p] = diagnose(problem, p, [], batch_pool=list(problem.panels[p].scores))
    sol.seconds = time.perf_counter() - began
    return sol


def _fill_most(problem: Problem, live: list[int], pools: dict[int, list[int]], limit: float,
               hint: dict[int, list[int]] | None = None, ceiling: int | None = None) -> tuple[Any, dict[int, list[int]]]:
    """The model over ``pools`` with every panel filled, else (infeasible) as many as possible."""
    status, filled = _model(problem, live, pools, limit, soft=False, hint=hint, ceiling=ceiling)
    if status is None:
        status, filled = _model(problem, live, pools, limit, soft=True, hint=hint, ceiling=ceiling)
    return status, filled


def _weight(problem: Problem, live: Iterable[int]) -> int:
    """The objective's value of one filled panel: more than the gap between any two sums of (scaled)
    scores, so one more panel filled beats any scores (a rating weight can make a score negative)."""
    return 1 + 2 * sum(problem.panels[p].k * max((abs(_scaled(s)) for s in problem.panels[p].scores.values()), default=0)
                       for p in live)


def _scaled(score: float) -> int:
    # Round half to even, as numpy's rint of the same product (_Pricing): one integer per score.
    return round(score * SCALE)


@dataclass
class _Columns:
    """One panel's candidates in rank order as arrays: expert, scaled score, unit number, senior,
    outside; ``inside`` marks those held by the restricted model."""

    expert: np.ndarray
    score: np.ndarray
    unit: np.ndarray
    senior: np.ndarray
    outside: np.ndarray
    inside: np.ndarray


@dataclass
class _Duals:
    """Dual values of the LP relaxation, signed so that every one but ``panel`` is ≥ 0: the panel's
    Σx = k·filled row, its seniors and outsiders rows (≥), its unit rows and the experts' rows (≤)."""

    panel: dict[int, float]
    senior: dict[int, float]
    outside: dict[int, float]
    unit: dict[tuple[int, int], float]
    expert: dict[int, float]
    # The LP's own solution when it is integral (0/1 to 1e-6): members of each filled panel.
    integral: dict[int, list[int]] | None = None


class _Pricing:
    """The whole model's columns (every panel × qualified candidate) and, from any dual values, their
    reduced costs and the Lagrangian upper bound of the whole model (weak duality)."""

    def __init__(self, problem: Problem, live: list[int], weight: int) -> None:
        self.problem, self.live, self.weight = problem, live, weight
        experts = problem.experts
        # Per expert: rank by expert_id (ties of scores), unit number, senior, province number.
        by_id = np.empty(len(experts), dtype=np.int64)
        by_id[sorted(range(len(experts)), key=lambda e: experts[e].expert_id)] = np.arange(len(experts))
        units: dict[str, int] = {}
        unit = np.array([units.setdefault(_unit_of(problem, e), len(units)) for e in range(len(experts))], dtype=np.int64)
        senior = np.array([c.senior for c in experts], dtype=bool)
        provinces: dict[str | None, int] = {None: -1}
        province = np.array([provinces.setdefault(c.province, len(provinces)) for c in experts], dtype=np.int64)
        self.cols: dict[int, _Columns] = {}
        panels_of = np.zeros(len(experts), dtype=np.int64)
        for p in live:
            scores = problem.panels[p].scores
            e = np.fromiter(scores.keys(), dtype=np.int64, count=len(scores))
            score = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
            order = np.lexsort((by_id[e], -score))  # problem.ranked's order
            e, score = e[order], score[order]
            panels_of[e] += 1
            # An unknown province is not "outside"; a panel without one has no such rule (not priced).
            here = provinces.get(problem.panels[p].province, -2) if problem.panels[p].province else -2
            self.cols[p] = _Columns(e, np.rint(score * SCALE), unit[e], senior[e],
                                    (province[e] != -1) & (province[e] != here), np.zeros(len(e), dtype=bool))
        self.n_units = len(units)
        cap, m = problem.rules.max_per_unit, problem.rules.max_panels_per_expert
        # Rows that can bind in the whole model: a unit with more candidates on a panel than the cap,
        # an expert qualified for more panels than allowed. The others are implied by x ≤ 1.
        self.unit_rows = {p: set(np.flatnonzero(np.bincount(c.unit, minlength=self.n_units) > cap).tolist())
                          if cap is not None else set() for p, c in self.cols.items()}
        self.expert_rows = set(np.flatnonzero(panels_of > m).tolist()) if m is not None else set()

    def start(self, margin: int) -> None:
        """The first restricted model: per panel, for each kind of candidate (any, senior, from
        outside, both), the best of that kind until they span k + ``margin`` units."""
        problem = self.problem
        for p, c in self.cols.items():
            need = problem.panels[p].k + margin
            for kind in (np.ones_like(c.senior), c.senior, c.outside, c.senior & c.outside):
                units: set[int] = set()
                for i in np.flatnonzero(kind):
                    c.inside[i] = True
                    units.add(int(c.unit[i]))
                    if len(units) >= need:
                        break

    def pools(self) -> dict[int, list[int]]:
        return {p: c.expert[c.inside].tolist() for p, c in self.cols.items()}

    def lp(self) -> _Duals | None:
        """The LP relaxation of the restricted model (GLOP): its duals, None if GLOP fails."""
        problem, rules = self.problem, self.problem.rules
        s = pywraplp.Solver.CreateSolver("GLOP")
        objective = s.Objective()
        rows_e: dict[int, Any] = {}
        xs: dict[tuple[int, int], Any] = {}
        ys: dict[int, Any] = {}
        rows: dict[str, dict[Any, Any]] = {"panel": {}, "senior": {}, "outside": {}, "unit": {}}
        for p, c in self.cols.items():
            k = problem.panels[p].k
            y = ys[p] = s.NumVar(0, 1, f"y{p}")
            objective.SetCoefficient(y, self.weight)
            eq = rows["panel"][p] = s.Constraint(0, 0)
            eq.SetCoefficient(y, -k)
            sen = out = None
            if problem.need_senior(p):
                sen = rows["senior"][p] = s.Constraint(0, s.infinity())
                sen.SetCoefficient(y, -problem.need_senior(p))
            if problem.need_outside(p):
                out = rows["outside"][p] = s.Constraint(0, s.infinity())
                out.SetCoefficient(y, -problem.need_outside(p))
            for i in np.flatnonzero(c.inside):
                e, u = int(c.expert[i]), int(c.unit[i])
                x = xs[p, e] = s.NumVar(0, 1, f"x{p}_{e}")
                objective.SetCoefficient(x, float(c.score[i]))
                eq.SetCoefficient(x, 1)
                if sen is not None and c.senior[i]:
                    sen.SetCoefficient(x, 1)
                if out is not None and c.outside[i]:
                    out.SetCoefficient(x, 1)
                if u in self.unit_rows[p]:
                    if (p, u) not in rows["unit"]:
                        rows["unit"][p, u] = s.Constraint(-s.infinity(), rules.max_per_unit or 0)
                    rows["unit"][p, u].SetCoefficient(x, 1)
                if e in self.expert_rows:
                    if e not in rows_e:
                        rows_e[e] = s.Constraint(-s.infinity(), rules.max_panels_per_expert or 0)
                    rows_e[e].SetCoefficient(x, 1)
        objective.SetMaximization()
        if s.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        values = [v.solution_value() for v in (*xs.values(), *ys.values())]
        integral = None
        if all(min(v, 1 - v) < 1e-6 for v in values):
            integral = {p: [e for e in self.cols[p].expert[self.cols[p].inside].tolist() if xs[p, e].solution_value() > 0.5]
                        for p, y in ys.items() if y.solution_value() > 0.5}
        # GLOP's duals of a maximisation: ≥ 0 on a ≤ row, ≤ 0 on a ≥ row; clipped, as any other
        # signed values would still give a valid (weaker) bound.
        return _Duals({p: r.dual_value() for p, r in rows["panel"].items()},
                      {p: max(0.0, -r.dual_value()) for p, r in rows["senior"].items()},
                      {p: max(0.0, -r.dual_value()) for p, r in rows["outside"].items()},
                      {pu: max(0.0, r.dual_value()) for pu, r in rows["unit"].items()},
                      {e: max(0.0, r.dual_value()) for e, r in rows_e.items()}, integral)

    def reduced(self, d: _Duals) -> tuple[dict[int, np.ndarray], float]:
        """Every column's reduced cost under ``d`` and the bound they give for the whole model:
        for any solution x, c·x ≤ Σ rhs·dual + Σ max(0, rc) over every x and y column − Σ over the
        columns x uses of max(0, −rc)."""
        problem, rules = self.problem, self.problem.rules
        lam = np.zeros(len(problem.experts))
        for e, v in d.expert.items():
            lam[e] = v
        mu = np.zeros(self.n_units)
        rc: dict[int, np.ndarray] = {}
        parts = [(rules.max_panels_per_expert or 0) * v for v in d.expert.values()]
        parts += [(rules.max_per_unit or 0) * v for v in d.unit.values()]
        by_panel: dict[int, list[tuple[int, float]]] = {}
        for (p, u), v in d.unit.items():
            by_panel.setdefault(p, []).append((u, v))
        for p, c in self.cols.items():
            for u, v in by_panel.get(p, []):
                mu[u] = v
            sen, out = d.senior.get(p, 0.0), d.outside.get(p, 0.0)
            rc[p] = c.score - d.panel[p] - mu[c.unit] + sen * c.senior + out * c.outside - lam[c.expert]
            for u, _ in by_panel.get(p, []):
                mu[u] = 0.0
            y = self.weight + problem.panels[p].k * d.panel[p] - problem.need_senior(p) * sen - problem.need_outside(p) * out
            parts.append(max(0.0, y))
            parts.append(float(np.maximum(rc[p], 0.0).sum()))
        return rc, math.fsum(parts)

    def value(self, filled: dict[int, list[int]]) -> int:
        """The whole model's objective of an assignment (weight per filled panel + scaled scores)."""
        return sum(self.weight + sum(_scaled(self.problem.panels[p].scores[e]) for e in m) for p, m in filled.items())


def _restricted(problem: Problem, live: list[int], limit: float, *, margin: int | None = None,
                rounds: int = 100, per_round: int = 1) -> tuple[Any, dict[int, list[int]], dict[str, Any]]:
    """The optimum of the whole model from small restricted ones; returns status, members, figures.

    The argument (weak LP duality and reduced-cost fixing). Write the whole model (every panel ×
    qualified candidate x, a "filled" y per panel, objective W·Σy + Σ c·x, c the scaled scores)
    as max c·x s.t. A·x ≤ b, 0 ≤ x ≤ 1. For any duals u (≥ 0 on ≤ rows, free on the equalities)
    and rc = c − uA, every solution x has c·x ≤ u·b + rc·x ≤ UB − Σ_{x_j = 1} max(0, −rc_j), with
    UB = u·b + Σ_j max(0, rc_j). Hence a solution worth more than LB (the value of an assignment in
    hand) uses no column with −rc_j > UB − LB − 1 (objectives are integers).

    1. Column generation on the LP relaxation: from each panel's best candidates (``start``), solve
       the restricted LP (GLOP), price every column of the whole model under its duals and add
       those with a positive reduced cost, until none is left (the duals are then optimal for the
       whole LP and UB is its bound) or ``rounds`` are done (UB is still valid, only weaker).
    2. If the last LP's own solution is integral, keeps every rule (``_feasible``, exact) and is
       worth ⌊UB⌋, nothing beats it: the optimum, without CP-SAT. Else CP-SAT on the restricted
       model, told that the objective is at most ⌊UB⌋ (true of the whole model, so of any part):
       an assignment of the whole model worth LB.
    3. The columns that a better assignment could use (−rc ≤ UB − LB − 1): if the restricted model
       holds them all, its optimum is the whole model's; else they are added and CP-SAT solves the
       enlarged model once more, whose optimum is then the whole model's (a better assignment of
       the whole model would lie inside it). When the LP is tight the set is empty (UB − LB < 1).
    If GLOP fails, the whole model as before (``relevant``). Everything is deterministic: GLOP and
    one-worker CP-SAT on models built in rank order."""
    if not live:
        return cp_model.OPTIMAL, {}, {}
    weight = _weight(problem, live)
    pricing = _Pricing(problem, live, weight)
    pricing.start(max(problem.panels[p].k for p in live) if margin is None else margin)
    stats: dict[str, Any] = {"columns_whole": sum(len(c.expert) for c in pricing.cols.values())}
    duals: _Duals | None = None
    rc: dict[int, np.ndarray] = {}
    bound = math.inf
    for n in range(1, rounds + 1):
        duals = pricing.lp()
        if duals is None:
            break
        rc, bound = pricing.reduced(duals)
        stats["lp_rounds"] = n
        priced = {p: np.flatnonzero((rc[p] > 1e-6) & ~c.inside) for p, c in pricing.cols.items()}
        if n == rounds or not any(len(new) for new in priced.values()):
            break
        for p, new in priced.items():  # the most promising few per panel: the LP stays small
            best = new[np.argsort(-rc[p][new], kind="stable")[: per_round * problem.panels[p].k]]
            pricing.cols[p].inside[best] = True
    n_lp = stats["columns_lp"] = sum(int(c.inside.sum()) for c in pricing.cols.values())
    if duals is None:  # GLOP failed: the whole model, as before
        pools = {p: relevant(problem, p) for p in live}
        status, filled = _fill_most(problem, live, pools, limit)
        stats.update(proof="whole model", columns_ip=sum(len(v) for v in pools.values()))
        return status, filled, stats
    # Reduced costs and the bound are float sums of terms below 1e9, exact to far below 1e-3: no
    # assignment of the whole model is worth more than ``ceiling``.
    ceiling = math.floor(bound + 1e-3 + 1e-9 * abs(bound))
    if duals.integral is not None and _feasible(problem, duals.integral) and pricing.value(duals.integral) >= ceiling:
        stats.update(proof="integral LP", gap=round(bound - pricing.value(duals.integral), 3), columns_ip=0)
        return cp_model.OPTIMAL, duals.integral, stats
    status, filled = _fill_most(problem, live, pricing.pools(), limit, hint=duals.integral, ceiling=ceiling)
    room = bound - pricing.value(filled) - 1 + 1e-3 + 1e-9 * abs(bound)
    stats.update(gap=round(bound - pricing.value(filled), 3), columns_ip=n_lp)
    more = 0
    for p, c in pricing.cols.items():
        new = np.flatnonzero((rc[p] >= -room) & ~c.inside)
        c.inside[new] = True
        more += len(new)
    if not more:
        stats["proof"] = "reduced costs"
        return status, filled, stats
    stats.update(proof="enlarged", columns_added=more, columns_ip=n_lp + more, first_filled=len(filled),
                 first_objective=round(sum(problem.panels[p].scores[e] for p, m in filled.items() for e in m), 4))
    status, filled = _fill_most(problem, live, pricing.pools(), limit, hint=filled, ceiling=ceiling)
    return status, filled, stats


def _feasible(problem: Problem, filled: dict[int, list[int]]) -> bool:
    """Whether an assignment keeps every rule (k members from the panel's candidates, the panel
    rules, max_panels_per_expert): the exact check of the LP's integral solution."""
    cap = problem.rules.max_panels_per_expert
    served = Counter(e for m in filled.values() for e in m)
    return ((cap is None or max(served.values(), default=0) <= cap)
            and all(len(set(m)) == len(m) == problem.panels[p].k and all(e in problem.panels[p].scores for e in m)
                    and satisfies(problem, p, m) for p, m in filled.items()))


def _model(problem: Problem, live: list[int], pools: dict[int, list[int]], limit: float,
           soft: bool, hint: dict[int, list[int]] | None = None,
           ceiling: int | None = None) -> tuple[Any, dict[int, list[int]]]:
    """Solve the batch's model: every panel filled (``soft`` False; None when that is infeasible), or
    as many as possible. Returns the status and the members of each filled panel. ``hint``: an
    assignment inside ``pools`` to start from; ``ceiling``: a proven upper bound of the objective
    (with ``_weight`` per filled panel), given to CP-SAT so that it stops once an answer reaches it."""
    rules = problem.rules
    m = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    y: dict[int, cp_model.IntVar] = {}
    weight = _weight(problem, live)  # one more panel beats any scores
    objective = []
    per_expert: dict[int, list[cp_model.IntVar]] = {}
    for p in live:
        panel = problem.panels[p]
        xs = {e: m.new_bool_var(f"x{p}_{e}") for e in pools[p]}
        for e, v in xs.items():
            x[p, e] = v
            per_expert.setdefault(e, []).append(v)
            objective.append(_scaled(panel.scores[e]) * v)
        fill: cp_model.IntVar | int = 1
        if soft:
            fill = y[p] = m.new_bool_var(f"y{p}")
            objective.append(weight * fill)
        m.add(sum(xs.values()) == panel.k * fill)
        if rules.max_per_unit is not None:
            per_unit: dict[str, list[cp_model.IntVar]] = {}
            for e, v in xs.items():
                per_unit.setdefault(_unit_of(problem, e), []).append(v)
            for vs in per_unit.values():
                if len(vs) > rules.max_per_unit:
                    m.add(sum(vs) <= rules.max_per_unit)
        if problem.need_senior(p):
            m.add(sum(v for e, v in xs.items() if problem.experts[e].senior) >= problem.need_senior(p) * fill)
        if problem.need_outside(p):
            m.add(sum(v for e, v in xs.items() if problem.outside(p, e)) >= problem.need_outside(p) * fill)
    if rules.max_panels_per_expert is not None:
        for vs in per_expert.values():
            if len(vs) > rules.max_panels_per_expert:
                m.add(sum(vs) <= rules.max_panels_per_expert)
    if hint is not None and (soft or len(hint) == len(live)):
        for (p, e), v in x.items():
            m.add_hint(v, e in hint.get(p, ()))
        for p, v in y.items():
            m.add_hint(v, p in hint)
    if ceiling is not None:
        m.add(sum(objective) <= ceiling - (0 if soft else weight * len(live)))
    m.maximize(sum(objective))
    if not live:
        return cp_model.OPTIMAL, {}
    solver = _solver(limit)
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if soft:
            raise RuntimeError(f"panel model without a solution ({solver.status_name(status)})")
        return None, {}
    filled = {p: [e for e in pools[p] if solver.value(x[p, e])] for p in live if not soft or solver.value(y[p])}
    return status, filled


# ---- panel by panel: the random draw and the greedy baseline --------------------------------------

def seat_index(seed: int, panel_id: str, seat: int, n: int) -> int:
    """The published lottery: which of ``n`` eligible candidates seat ``seat`` of ``panel_id`` gets."""
    digest = hashlib.sha256(f"{seed}|{panel_id}|{seat}".encode()).digest()
    return int.from_bytes(digest, "big") % n


def _fill(problem: Problem, p: int, pool: list[int], width: int,
          pick: Callable[[int, list[int]], int]) -> tuple[list[int], list[dict[str, object]]] | None:
    """Seats of panel ``p`` one by one, each from the first ``width`` candidates (best first) that
    keep the panel completable, chosen by ``pick(seat, eligible)``. None if it cannot be filled."""
    ranked = problem.ranked(p, pool)
    check = PanelCheck(problem, p, ranked)
    if not check.completable([]):
        return None
    chosen: list[int] = []
    steps: list[dict[str, object]] = []
    for seat in range(1, problem.panels[p].k + 1):
        eligible = []
        for e in ranked:
            if e not in chosen and check.completable([*chosen, e]):
                eligible.append(e)
                if len(eligible) >= width:
                    break
        i = pick(seat, eligible)
        chosen.append(eligible[i])
        steps.append({"seat": seat, "eligible": [problem.experts[e].expert_id for e in eligible], "index": i,
                      "drawn": problem.experts[eligible[i]].expert_id})
    return chosen, steps


def _panel_by_panel(problem: Problem, width: Callable[[int], int],
                    pick: Callable[[int, int, list[int]], int], record: bool) -> Solution:
    sol = Solution()
    began = time.perf_counter()
    served: Counter[int] = Counter()
    cap = problem.rules.max_panels_per_expert
    for p, panel in enumerate(problem.panels):
        own = list(panel.scores)
        pool = [e for e in own if cap is None or served[e] < cap]
        filled = _fill(problem, p, pool, width(p), partial(pick, p))
        if filled is None:
            sol.unfilled[p] = diagnose(problem, p, pool, batch_pool=own if len(pool) < len(own) else None)
            continue
        members, steps = filled
        served.update(members)
        sol.members[p] = problem.ranked(p, members)
        if record:
            top = problem.ranked(p, pool)[: width(p)]
            sol.draws.append({"panel_id": panel.panel_id, "pool": len(pool),
                              "candidates": [{"expert_id": problem.experts[e].expert_id, "score": round(panel.scores[e], 4)}
                                             for e in top],
                              "steps": steps, "experts": [problem.experts[e].expert_id for e in members]})
    sol.seconds = time.perf_counter() - began
    return sol


def draw(problem: Problem, seed: int, *, top_factor: int = 3) -> Solution:
    """The random draw: panel by panel in request order, each seat uniformly (``seat_index``) among
    the first top_factor × k candidates that keep the panel completable; the record in ``draws``."""
    def pick(p: int, seat: int, eligible: list[int]) -> int:
        return seat_index(seed, problem.panels[p].panel_id, seat, len(eligible))

    return _panel_by_panel(problem, lambda p: top_factor * problem.panels[p].k, pick, record=True)


def greedy(problem: Problem) -> Solution:
    """The baseline: panel by panel in request order, each seat to the best candidate that keeps the
    panel completable."""
    return _panel_by_panel(problem, lambda p: 1, lambda p, seat, eligible: 0, record=False)


# ---- alternates -----------------------------------------------------------------------------------

def add_alternates(problem: Problem, sol: Solution, n: int, *, seed: int | None = None, top_factor: int = 3) -> None:
    """Up to ``n`` alternates per filled panel: candidates not on it, not another panel's alternate,
    under max_panels_per_expert counting the batch, each able to replace some member without
    breaking a rule. Best first; with ``seed`` drawn (seats k+1 …) among the first top_factor × n."""
    if n <= 0:
        return
    cap = problem.rules.max_panels_per_expert
    served = Counter(e for members in sol.members.values() for e in members)
    taken: set[int] = set()
    for p in sorted(sol.members):
        members = sol.members[p]
        fit = [e for e in problem.ranked(p) if e not in members and e not in taken
               and (cap is None or served[e] < cap)
               and any(satisfies(problem, p, [*members[:i], e, *members[i + 1:]]) for i in range(len(members)))]
        if seed is None:
            chosen = fit[:n]
        else:
            pool, chosen = fit[: top_factor * n], []
            k = problem.panels[p].k
            while pool and len(chosen) < n:
                chosen.append(pool.pop(seat_index(seed, problem.panels[p].panel_id, k + len(chosen) + 1, len(pool))))
        sol.alternates[p] = chosen
        taken.update(chosen)
