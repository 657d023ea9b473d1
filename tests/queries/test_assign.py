"""The panel solver on hand-made score tables (queries/assign.py): optimum against brute force,
greedy beaten, binding rules named, the random draw reproducible and within its rules."""

from __future__ import annotations

import itertools
import random
from collections import Counter

from ortools.sat.python import cp_model

from queries.assign import (
    Candidate,
    PanelCheck,
    PanelSpec,
    Problem,
    Rules,
    _fill_most,
    _restricted,
    add_alternates,
    draw,
    greedy,
    satisfies,
    seat_index,
    solve,
)


def expert(eid: str, unit: str | None = None, province: str | None = "浙江", senior: bool = False) -> Candidate:
    return Candidate(eid, unit or f"U{eid}", province, senior)


def problem(experts: list[Candidate], panels: list[tuple[str, int, str | None, dict[str, float]]], **rules: int) -> Problem:
    index = {c.expert_id: i for i, c in enumerate(experts)}
    specs = [PanelSpec(pid, k, prov, {index[e]: s for e, s in scores.items()}) for pid, k, prov, scores in panels]
    return Problem(experts, specs, Rules(**rules))


def ids(pr: Problem, members: list[int]) -> list[str]:
    return [pr.experts[e].expert_id for e in members]


def test_solver_takes_the_cross_assignment_that_greedy_misses() -> None:
    # A is best for both panels; greedy gives A to the first and leaves the second with C.
    pr = problem([expert("A"), expert("B"), expert("C")],
                 [("P1", 1, None, {"A": 0.9, "B": 0.8, "C": 0.1}), ("P2", 1, None, {"A": 0.85, "C": 0.1})],
                 max_panels_per_expert=1)
    opt, base = solve(pr), greedy(pr)
    assert {p: ids(pr, m) for p, m in opt.members.items()} == {0: ["B"], 1: ["A"]}
    assert opt.optimal and opt.total(pr) == 1.65
    assert {p: ids(pr, m) for p, m in base.members.items()} == {0: ["A"], 1: ["C"]}
    assert base.total(pr) == 1.0 < opt.total(pr)


def brute_force(pr: Problem) -> float:
    """The best total over every assignment that fills every panel (None-free instances only)."""
    best = -1.0
    options = [list(itertools.combinations(sorted(p.scores), p.k)) for p in pr.panels]
    cap = pr.rules.max_panels_per_expert
    for combo in itertools.product(*options):
        if cap is not None and max(sum(e in c for c in combo) for e in range(len(pr.experts))) > cap:
            continue
        if all(satisfies(pr, p, list(c)) for p, c in enumerate(combo)):
            best = max(best, sum(pr.panels[p].scores[e] for p, c in enumerate(combo) for e in c))
    return round(best, 4)


def test_optimum_equals_brute_force_on_random_small_batches() -> None:
    rng = random.Random(7)
    checked = 0
    for _ in range(40):
        experts = [expert(f"E{i}", unit=f"U{rng.randrange(4)}", province=rng.choice(["浙江", "江苏"]),
                          senior=rng.random() < 0.4) for i in range(7)]
        panels = [(f"P{j}", 2, "浙江", {f"E{i}": round(rng.random(), 4) for i in range(7) if rng.random() < 0.8})
                  for j in range(3)]
        pr = problem(experts, panels, max_per_unit=1, min_outside_province=1, min_senior=1, max_panels_per_expert=1)
        best = brute_force(pr)
        sol = solve(pr)
        if best < 0:
            assert sol.unfilled
            continue
        if sol.unfilled:  # solve fills as many panels as possible: brute force found all filled
            raise AssertionError((best, sol))
        checked += 1
        assert sol.optimal and sol.total(pr) == best
        for p, m in sol.members.items():
            assert satisfies(pr, p, m)
    assert checked >= 10


def test_a_panel_without_seniors_is_infeasible_and_names_min_senior() -> None:
    pr = problem([expert("A", senior=True), expert("B"), expert("C"), expert("D")],
                 [("P1", 2, None, {"A": 0.5, "B": 0.9}), ("P2", 2, None, {"B": 0.9, "C": 0.8, "D": 0.7})],
                 min_senior=1)
    sol = solve(pr)
    assert ids(pr, sol.members[0]) == ["B", "A"]
    assert sol.unfilled[1].constraint == "min_senior"
    assert sol.unfilled[1].reason.startswith("min_senior")


def test_one_unit_cannot_staff_a_panel_under_max_per_unit() -> None:
    pr = problem([expert("A", unit="U"), expert("B", unit="U"), expert("C", unit="U")],
                 [("P1", 2, None, {"A": 0.9, "B": 0.8, "C": 0.7})], max_per_unit=1)
    assert solve(pr).unfilled[0].constraint == "max_per_unit"
    assert draw(pr, seed=1).unfilled[0].constraint == "max_per_unit"


def test_outside_province_counts_only_known_other_provinces() -> None:
    pr = problem([expert("A", province="浙江"), expert("B", province=None), expert("C", province="浙江")],
                 [("P1", 2, "浙江", {"A": 0.9, "B": 0.8, "C": 0.7})], min_outside_province=1)
    assert solve(pr).unfilled[0].constraint == "min_outside_province"


def test_batch_contention_is_max_panels_per_expert() -> None:
    # Each panel alone is fine; together they need A twice.
    pr = problem([expert("A", senior=True), expert("B"), expert("C")],
                 [("P1", 2, None, {"A": 0.9, "B": 0.8}), ("P2", 2, None, {"A": 0.9, "C": 0.8})],
                 min_senior=1, max_panels_per_expert=1)
    sol = solve(pr)
    assert len(sol.members) == 1 and len(sol.unfilled) == 1
    assert next(iter(sol.unfilled.values())).constraint == "max_panels_per_expert"
    rnd = draw(pr, seed=3)
    assert ids(pr, rnd.members[0]) == ["A", "B"] and rnd.unfilled[1].constraint == "max_panels_per_expert"


def test_random_draw_is_reproducible_within_top_3k_and_keeps_the_rules() -> None:
    rng = random.Random(11)
    experts = [expert(f"E{i:02d}", unit=f"U{i % 9}", province=rng.choice(["浙江", "江苏", "安徽"]), senior=i % 5 == 0)
               for i in range(40)]
    panels = [(f"P{j}", 3, "浙江", {f"E{i:02d}": round(rng.random(), 4) for i in range(40)}) for j in range(4)]
    pr = problem(experts, panels, max_per_unit=1, min_outside_province=1, min_senior=1, max_panels_per_expert=1)
    a, b, c = draw(pr, seed=42), draw(pr, seed=42), draw(pr, seed=43)
    assert a.members == b.members and a.draws == b.draws
    assert a.members != c.members
    used = [e for m in a.members.values() for e in m]
    assert len(used) == len(set(used)) == 12
    for p, m in a.members.items():
        assert satisfies(pr, p, m)
    for rec in a.draws:
        assert len(rec["candidates"]) == 9
        for step in rec["steps"]:
            assert len(step["eligible"]) <= 9
            assert step["drawn"] == step["eligible"][seat_index(42, rec["panel_id"], step["seat"], len(step["eligible"]))]


def test_alternates_can_replace_a_member_and_are_not_on_any_panel() -> None:
    experts = [expert("A", senior=True), expert("B"), expert("C"), expert("D", unit="UB"), expert("E")]
    experts[1] = expert("B", unit="UB")
    pr = problem(experts, [("P1", 2, None, {"A": 0.9, "B": 0.8, "C": 0.7, "D": 0.6, "E": 0.5})],
                 min_senior=1, max_per_unit=1)
    sol = solve(pr)
    add_alternates(pr, sol, 2)
    assert ids(pr, sol.members[0]) == ["A", "B"]
    # C can replace B; D (B's unit) can replace B too; E can as well: best two
    assert ids(pr, sol.alternates[0]) == ["C", "D"]


def test_dropping_irrelevant_candidates_keeps_the_optimum() -> None:
    # Many candidates per panel: the model keeps only `relevant` ones; the full model agrees.
    from queries.assign import _model, relevant

    rng = random.Random(5)
    for _ in range(5):
        experts = [expert(f"E{i:02d}", unit=f"U{rng.randrange(12)}", province=rng.choice(["浙江", "江苏"]),
                          senior=rng.random() < 0.2) for i in range(60)]
        panels = [(f"P{j}", 3, "浙江", {f"E{i:02d}": round(rng.random() ** 2, 4) for i in range(60)}) for j in range(3)]
        pr = problem(experts, panels, max_per_unit=1, min_outside_province=1, min_senior=1, max_panels_per_expert=1)
        kept = {p: relevant(pr, p) for p in range(3)}
        assert all(len(kept[p]) < 60 for p in range(3))
        _, full = _model(pr, [0, 1, 2], {p: pr.ranked(p) for p in range(3)}, 60.0, soft=False)
        sol = solve(pr)
        assert sol.total(pr) == round(sum(pr.panels[p].scores[e] for p, m in full.items() for e in m), 4)


def whole_model(pr: Problem) -> tuple[int, float]:
    """Filled panels and objective of CP-SAT on every panel × qualified candidate in one model."""
    live = list(range(len(pr.panels)))
    status, filled = _fill_most(pr, live, {p: pr.ranked(p) for p in live}, 60.0)
    assert status == cp_model.OPTIMAL
    return len(filled), round(sum(pr.panels[p].scores[e] for p, m in filled.items() for e in m), 4)


def same_topic_panels() -> Problem:
    # Three panels want the same ten experts in the same order, one panel per expert: the third
    # panel's best seats go to rank-5 and rank-6 candidates, outside each panel's first columns.
    experts = [expert(f"E{i}") for i in range(10)]
    scores = {f"E{i}": round(1 - i / 20, 4) for i in range(10)}
    return problem(experts, [(f"P{j}", 2, None, dict(scores)) for j in range(3)], max_panels_per_expert=1)


def test_pricing_adds_the_low_ranked_candidates_that_the_optimum_needs() -> None:
    pr = same_topic_panels()
    sol = solve(pr)
    first = _restricted(pr, [0, 1, 2], 60.0, margin=0, rounds=1)
    used = sorted(ids(pr, [e for m in sol.members.values() for e in m]))
    assert used == [f"E{i}" for i in range(6)]
    assert sol.optimal and (len(sol.members), sol.total(pr)) == whole_model(pr) == (3, 5.25)
    # The first restricted model (each panel's two best) fills one panel only; the reduced costs of
    # the LP's duals show that more can be had and the enlarged model finds the optimum.
    assert first[2]["first_filled"] == 1 and first[2]["proof"] == "enlarged"
    assert len(first[1]) == 3 and first[0] == cp_model.OPTIMAL
    # With column generation the LP itself asks for E4, E5 (priced in) before CP-SAT runs.
    assert sol.stats["lp_rounds"] > 1 and sol.stats["columns_lp"] > 3 * 4


def test_restricted_solve_equals_the_whole_model_on_random_batches() -> None:
    rng = random.Random(3)
    proofs: Counter[str] = Counter()
    for case in range(60):
        n = rng.randrange(8, 40)
        experts = [expert(f"E{i:02d}", unit=f"U{rng.randrange(max(2, n // rng.choice([2, 3, 5])))}",
                          province=rng.choice(["浙江", "江苏", "安徽"]), senior=rng.random() < rng.choice([0.1, 0.3]))
                   for i in range(n)]
        base = {f"E{i:02d}": rng.random() for i in range(n)}  # panels agree roughly: contention
        panels = [(f"P{j}", rng.randrange(1, 5), rng.choice(["浙江", "江苏", None]),
                   {e: round(0.7 * s + 0.3 * rng.random(), 4) for e, s in base.items() if rng.random() < 0.7})
                  for j in range(rng.randrange(1, 6))]
        pr = problem(experts, panels, max_per_unit=rng.choice([1, 2]), min_outside_province=rng.choice([0, 1, 2]),
                     min_senior=rng.choice([0, 1, 2]), max_panels_per_expert=rng.choice([1, 1, 2]))
        live = [p for p in range(len(pr.panels)) if PanelCheck(pr, p, list(pr.panels[p].scores)).completable([])]
        pr = Problem(pr.experts, [pr.panels[p] for p in live], pr.rules)
        if not pr.panels:
            continue
        expected = whole_model(pr)
        sol = solve(pr)
        assert sol.optimal and (len(sol.members), sol.total(pr)) == expected, case
        # A weak start (each panel's k best, one LP round): the proof must enlarge, same optimum.
        status, filled, stats = _restricted(pr, list(range(len(pr.panels))), 60.0, margin=0, rounds=1)
        got = (len(filled), round(sum(pr.panels[p].scores[e] for p, m in filled.items() for e in m), 4))
        assert status == cp_model.OPTIMAL and got == expected, case
        assert solve(pr).members == sol.members  # deterministic
        proofs[stats["proof"]] += 1
        proofs["some panel unfilled"] += expected[0] < len(pr.panels)
    # Each way of proving was taken, and batches that cannot be filled whole were among them.
    assert proofs["enlarged"] and proofs["integral LP"] and proofs["some panel unfilled"], proofs
