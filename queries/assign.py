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
work limit is counted in deterministic time, so even a capped run answers the same way twice.

The random draw is published, so it is meant to be checked by hand: at each seat of each panel (in
request order) the eligible list is the first top_factor × k candidates, by score then expert_id,
whose addition keeps the panel completable under every rule, and the drawn one is
``eligible[sha256(f"{seed}|{panel_id}|{seat}") mod len(eligible)]``.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

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


def solve(problem: Problem, *, limit: float = 60.0) -> Solution:
    """The assignment that fills as many panels as possible and, among those, maximises the sum of
    relevance scores, under every rule (CP-SAT; deterministic). The model holds each panel's
    ``relevant`` candidates; a batch that cannot be filled whole is solved again with a "filled"
    variable per panel (fill as many as possible first)."""
    began = time.perf_counter()
    sol = Solution()
    live = []
    for p, panel in enumerate(problem.panels):
        pool = list(panel.scores)
        if PanelCheck(problem, p, pool).completable([]):
            live.append(p)
        else:
            sol.unfilled[p] = diagnose(problem, p, pool)
    pools = {p: relevant(problem, p) for p in live}
    status, filled = _model(problem, live, pools, limit, soft=False)
    if status is None:
        status, filled = _model(problem, live, pools, limit, soft=True)
    sol.optimal = status == cp_model.OPTIMAL
    for p in live:
        if p in filled:
            sol.members[p] = filled[p]
        else:
            sol.unfilled[p] = diagnose(problem, p, [], batch_pool=list(problem.panels[p].scores))
    sol.seconds = time.perf_counter() - began
    return sol


def _model(problem: Problem, live: list[int], pools: dict[int, list[int]], limit: float,
           soft: bool) -> tuple[Any, dict[int, list[int]]]:
    """Solve the batch's model: every panel filled (``soft`` False; None when that is infeasible), or
    as many as possible. Returns the status and the members of each filled panel."""
    rules = problem.rules
    m = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    y: dict[int, cp_model.IntVar] = {}
    weight = sum(problem.panels[p].k for p in live) * SCALE * 2 + 1  # one more panel beats any scores
    objective = []
    per_expert: dict[int, list[cp_model.IntVar]] = {}
    for p in live:
        panel = problem.panels[p]
        xs = {e: m.new_bool_var(f"x{p}_{e}") for e in pools[p]}
        for e, v in xs.items():
            x[p, e] = v
            per_expert.setdefault(e, []).append(v)
            objective.append(round(panel.scores[e] * SCALE) * v)
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
