"""Review panels on a hand-built graph (CSV files loaded by the real loader, tagged, LK2 detected):
the extended conflicts of interest, an optimum known by brute force, a panel made infeasible by a
rule, greedy beaten by the solver, the published random draw, saving, ratings, cooldown, and the
pool status that a later load of experts.csv does not silently undo."""

from __future__ import annotations

import itertools
import json
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.db import read
from graph.errors import Conflict, TooLarge, Unprocessable
from graph.settings import Settings
from queries.alerts import detect_and_store
from queries.panels import PanelBatch, PanelSaveIn, RatingsIn, assign, get_draw, rate_panel, save_panel
from queries.pool import set_expert_status, status_history
from queries.users import Principal
from tagging.portrait import get_portrait
from tagging.tagger import run_tagging
from tests.builder import Scenario

AS_OF = date(2024, 12, 31)
VILLAGE = "实用性村庄规划成果评审，关注乡村振兴与村庄布局"
TRANSPORT = "综合交通规划评审，轨道交通线网与道路交通"
VILLAGE_BIO = "长期从事村庄规划编制与乡村振兴研究，主持多个实用性村庄规划。"
TRANSPORT_BIO = "从事综合交通规划和轨道交通线网规划二十年，熟悉道路交通与停车规划。"
M1 = Principal(user_id="m1", role="manager")

# Who is who (E-key): unit, senior (国家级 or 正高级), outside 浙江
FACTS = {"A": ("U1", False, False), "B": ("U2", False, False), "C": ("U3", False, False), "S": ("UJ1", True, True),
         "D": ("U1", False, False), "E4": ("U5", False, False), "T": ("UJ2", False, True)}


def expert(sc: Scenario, key: str, unit: str, *, bio: str, level: str = "省级", fields: tuple[str, ...] = ("村庄规划",),
           status: str = "在库") -> None:
    sc.person(key, name=f"专家{key}", bio=bio, title="高级工程师")
    sc.employment(key, unit, "2015-01-01")
    sc.expert(f"E-{key}", key, level=level, fields=fields, status=status)


def build(sc: Scenario) -> None:
    for u in ("U1", "U2", "U3", "U4", "U5", "UY"):
        sc.unit(u)
    sc.unit("UJ1", province="江苏省")
    sc.unit("UJ2", province="江苏省")
    sc.unit("UX", phone="0571-88880000")  # the excluded unit
    sc.unit("UR", phone="0571-88880000")  # shares UX's phone: LK2 relates them
    expert(sc, "A", "U1", bio=VILLAGE_BIO + TRANSPORT_BIO, fields=("村庄规划", "交通规划"))
    expert(sc, "B", "U2", bio=VILLAGE_BIO)
    expert(sc, "C", "U3", bio="从事国土空间规划管理与政策研究。", fields=("规划管理",))
    expert(sc, "S", "UJ1", bio=VILLAGE_BIO, level="国家级")
    expert(sc, "D", "U1", bio=VILLAGE_BIO)
    expert(sc, "T", "UJ2", bio="从事国土空间规划编制。", fields=("规划编制",))
    expert(sc, "E1", "U4", bio=VILLAGE_BIO)  # shared a project with a UX member in 2023
    expert(sc, "E2", "UR", bio=VILLAGE_BIO)  # works at UR, related to UX by LK2
    expert(sc, "E3", "U5", bio=VILLAGE_BIO)  # high alert confirmed (counts)
    expert(sc, "E4", "U5", bio=VILLAGE_BIO)  # high alert dismissed (does not count)
    for key, lead, start, name, plan in (("PV1", "U1", "2021", "安吉县实用性村庄规划", "村庄规划"),
                                         ("PV2", "U1", "2022", "余杭区村庄布局规划", "村庄规划"),
                                         ("PT1", "U1", "2022", "杭州市综合交通规划", "专项规划"),
                                         ("PT2", "U1", "2023", "宁波市轨道交通线网规划", "专项规划"),
                                         ("PV3", "U2", "2020", "德清县村庄规划", "村庄规划"),
                                         ("PX", "UX", "2023", "临安区乡村振兴规划", "村庄规划")):
        sc.project(key, lead, f"{start}-01-01", end=f"{start}-12-31", name=name, plan_type=plan, status="已完成")
    for j in ("PV1", "PV2", "PT1", "PT2"):
        sc.member(j, "A", "U1")
    sc.member("PV3", "B", "U2")
    sc.staff("q", "UX", "2016-01-01")
    sc.member("PX", "q", "UX", role="项目负责人")
    sc.member("PX", "E1", "U4", role="参与人员")
    sc.alert("CL1", persons=["E3"], score=0.9, summary="人证分离（测试）", status="confirmed", alert_id="T-E3")
    sc.alert("CL1", persons=["E4"], score=0.9, summary="人证分离（测试）", status="dismissed", alert_id="T-E4")


@pytest.fixture(scope="module")
def world(db: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    sc = Scenario(tmp_path_factory.mktemp("panels") / "input")
    build(sc)
    sc.load(db, settings)
    run_tagging(db, settings, as_of=AS_OF, embedder=None)
    detect_and_store(db, settings, AS_OF, ["LK2"])
    return sc


def batch(**kw: Any) -> PanelBatch:
    body: dict[str, Any] = {"as_of": AS_OF.isoformat(), "seed": 1, "mode": "optimal", "constraints": {}, **kw}
    return PanelBatch.model_validate(body)


def panel(pid: str, text: str = VILLAGE, k: int = 2, **kw: Any) -> dict[str, Any]:
    return {"panel_id": pid, "text": text, "k": k, "province": "浙江省", **kw}


def members(res: dict[str, Any], pid: str, key: str = "experts") -> list[str]:
    return [e["expert_id"].removeprefix("E-") for p in res["panels"] if p["panel_id"] == pid for e in p[key]]


def test_extended_conflicts_of_interest_each_with_its_reason(world: Scenario, db: Driver, settings: Settings) -> None:
    res = assign(db, settings, batch(panels=[panel("V", k=2, exclude_unit_ids=[world.u("UX")])]))
    excluded = {e["expert_id"].removeprefix("E-"): e["reason"] for e in res["panels"][0]["excluded"]}
    assert "共同项目" in excluded["E1"] and world.u("UX") in excluded["E1"] and "PX" in excluded["E1"]
    assert "LK2" in excluded["E2"] and world.u("UR") in excluded["E2"]
    assert "高风险预警" in excluded["E3"] and "T-E3" in excluded["E3"]  # confirmed: it still counts
    assert "E4" not in excluded  # its high alert was dismissed
    # Without UX excluded, only the counting alert stands.
    free = assign(db, settings, batch(panels=[panel("V", k=2)]))
    excluded = {e["expert_id"].removeprefix("E-") for e in free["panels"][0]["excluded"]}
    assert "E3" in excluded and not excluded & {"E1", "E2"}


def scores_of(db: Driver, settings: Settings, world: Scenario, text: str, exclude: list[str]) -> dict[str, float]:
    """Every qualified expert's score for a panel: one panel as large as the qualified pool, no rules."""
    for k in range(12, 0, -1):
        try:
            res = assign(db, settings, batch(panels=[panel("ALL", text=text, k=k, exclude_unit_ids=exclude)]))
        except Unprocessable:
            continue
        return {e["expert_id"].removeprefix("E-"): e["score"] for e in res["panels"][0]["experts"]}
    raise AssertionError("no qualified expert")


def test_optimum_under_every_rule_equals_brute_force(world: Scenario, db: Driver, settings: Settings) -> None:
    exclude = [world.u("UX")]
    scores = scores_of(db, settings, world, VILLAGE, exclude)
    assert set(scores) == set(FACTS)  # E1, E2, E3 avoided; E4 and the rest qualified
    rules = {"max_per_unit": 1, "min_senior": 1, "min_outside_province": 1}
    res = assign(db, settings, batch(constraints=rules, panels=[panel("V", k=3, exclude_unit_ids=exclude)]))
    best = max((c for c in itertools.combinations(scores, 3)
                if len({FACTS[e][0] for e in c}) == 3 and sum(FACTS[e][1] for e in c) >= 1 and sum(FACTS[e][2] for e in c) >= 1),
               key=lambda c: sum(scores[e] for e in c))
    got = members(res, "V")
    assert sorted(got) == sorted(best) and "S" in got and not {"A", "D"} <= set(got)
    assert res["panels"][0]["objective"] == pytest.approx(sum(scores[e] for e in best), abs=1e-3)
    assert res["optimal"] is True and all(c["met"] for c in res["panels"][0]["checks"])


def test_a_rule_that_cannot_be_met_names_itself(world: Scenario, db: Driver, settings: Settings) -> None:
    # One senior expert (S) in the pool.
    res = assign(db, settings, batch(constraints={"min_senior": 2}, panels=[panel("TWO", k=3)]))
    assert res["panels"] == [] and res["infeasible"][0]["panel_id"] == "TWO"
    assert res["infeasible"][0]["constraint"] == "min_senior" and res["infeasible"][0]["reason"].startswith("min_senior")
    # Each panel alone has its senior; together they need S twice.
    res = assign(db, settings, batch(constraints={"min_senior": 1, "max_panels_per_expert": 1},
                                     panels=[panel("V1", k=2), panel("V2", k=2)]))
    assert len(res["panels"]) == 1 and "S" in members(res, res["panels"][0]["panel_id"])
    assert res["infeasible"][0]["constraint"] == "max_panels_per_expert"
    res = assign(db, settings, batch(constraints={"min_outside_province": 3}, panels=[panel("OUT", k=3)]))
    assert res["panels"] == [] and res["infeasible"][0]["constraint"] == "min_outside_province"


def test_k_larger_than_the_qualified_pool_and_oversized_batches_are_refused(world: Scenario, db: Driver,
                                                                             settings: Settings) -> None:
    with pytest.raises(Unprocessable, match="k=30"):
        assign(db, settings, batch(panels=[panel("BIG", k=30)]))
    small = settings.model_copy(update={"panels_max_batch": 2})
    with pytest.raises(TooLarge, match="至多 2 个"):
        assign(db, small, batch(panels=[panel(f"P{i}") for i in range(3)]))


def test_greedy_panel_by_panel_is_worse_than_the_solver(world: Scenario, db: Driver, settings: Settings) -> None:
    # A is the best for both panels; greedy seats A on the first and leaves transport without its expert.
    b = batch(constraints={"max_panels_per_expert": 1}, panels=[panel("V", k=1), panel("T", text=TRANSPORT, k=1)])
    opt, base = assign(db, settings, b), assign(db, settings, b, method="greedy")
    assert members(base, "V") == ["A"] and members(base, "T") != ["A"]
    assert members(opt, "T") == ["A"] and members(opt, "V") != ["A"]
    assert base["objective"] < opt["objective"]


def test_same_request_same_answer_and_the_draw_is_recorded(world: Scenario, db: Driver, settings: Settings) -> None:
    b = batch(mode="random", seed=2024, alternates=1, constraints={"max_per_unit": 1, "max_panels_per_expert": 1},
              panels=[panel("R1", k=2), panel("R2", k=2, text=TRANSPORT)])
    first, again = assign(db, settings, b), assign(db, settings, b)
    assert first == again and first["draw_id"].startswith("D-")
    record = get_draw(db, settings, first["draw_id"])
    assert record["seed"] == 2024 and record["request"]["panels"][0]["panel_id"] == "R1"
    r1 = record["record"]["panels"][0]
    assert len(r1["candidates"]) == 6  # 3k
    assert sorted(s["drawn"] for s in r1["steps"]) == sorted(e["expert_id"] for e in first["panels"][0]["experts"])
    assert set(members(first, "R1")).isdisjoint(members(first, "R2"))
    assert len(first["panels"][0]["alternates"]) == 1
    optimal = batch(constraints={"max_per_unit": 1}, panels=[panel("O", k=3)])
    assert assign(db, settings, optimal) == assign(db, settings, optimal)


def test_save_rate_cooldown_and_portrait(world: Scenario, db: Driver, settings: Settings) -> None:
    body = PanelSaveIn(as_of=date(2024, 12, 20), text=VILLAGE, province="浙江省", experts=["E-A", "E-B"], alternates=["E-D"])
    saved = save_panel(db, settings, "S1", body, who=M1)
    assert [m["expert_id"] for m in saved["roster"]] == ["E-A", "E-B", "E-D"]
    assert save_panel(db, settings, "S1", body, who=M1)["roster"] == saved["roster"]  # idempotent
    with pytest.raises(Conflict):
        save_panel(db, settings, "S1", body.model_copy(update={"experts": ["E-A", "E-C"]}), who=M1)
    conflicted = body.model_copy(update={"experts": ["E-E1", "E-B"], "alternates": [], "exclude_unit_ids": [world.u("UX")]})
    with pytest.raises(Unprocessable) as err:
        save_panel(db, settings, "S2", conflicted, who=M1)
    assert err.value.errors and err.value.errors[0]["loc"] == ["experts", "E-E1"]

    # cooldown: A and B served on 2024-12-20, 11 days before as_of
    res = assign(db, settings, batch(constraints={"cooldown_days": 30}, panels=[panel("V", k=2)]))
    reasons = {e["expert_id"]: e["reason"] for e in res["panels"][0]["excluded"]}
    assert reasons["E-A"].startswith("cooldown_days") and "S1" in reasons["E-A"] and "E-B" in reasons
    assert not {"A", "B"} & set(members(res, "V"))
    res = assign(db, settings, batch(constraints={"cooldown_days": 11}, panels=[panel("V", k=2)]))
    assert "E-A" not in {e["expert_id"] for e in res["panels"][0]["excluded"]}

    # ratings after the review, in the portrait, and (as a setting) in the ranking
    rated = rate_panel(db, settings, "S1", RatingsIn.model_validate({"ratings": [{"expert_id": "E-A", "rating": 5},
                                                                                 {"expert_id": "E-B", "rating": 2}]}),
                       who=M1)
    assert {m["expert_id"]: m["rating"] for m in rated["roster"]} == {"E-A": 5, "E-B": 2, "E-D": None}
    with pytest.raises(Unprocessable):
        rate_panel(db, settings, "S1", RatingsIn.model_validate({"ratings": [{"expert_id": "E-D", "rating": 4}]}),
                   who=M1)
    expert = get_portrait(db, settings, world.p("A"))["expert"]  # type: ignore[index]
    assert expert["panels_served"] == 1 and expert["records"][0]["ratings"] == {"count": 1, "mean": 5.0}
    plain = scores_of(db, settings, world, VILLAGE, [])
    weighed = scores_of(db, settings.model_copy(update={"panels_rating_weight": 0.2}), world, VILLAGE, [])
    assert weighed["A"] == pytest.approx(plain["A"] + 0.2, abs=1e-3)
    assert weighed["B"] == pytest.approx(plain["B"] - 0.1, abs=1e-3) and weighed["C"] == plain["C"]

    future = PanelSaveIn(as_of=date(2025, 3, 1), text=VILLAGE, experts=["E-C"])
    save_panel(db, settings, "S3", future, who=M1)
    with pytest.raises(Conflict, match="尚未到"):
        rate_panel(db, settings.model_copy(update={"as_of": AS_OF}), "S3", RatingsIn.model_validate({"ratings": [{"expert_id": "E-C", "rating": 4}]}),
                   who=M1)


def test_pool_decision_survives_a_reload_until_the_file_says_something_new(world: Scenario, db: Driver,
                                                                          settings: Settings) -> None:
    set_expert_status(db, settings, "E-T", "暂停", "本人申请暂停一年", who=M1)
    res = assign(db, settings, batch(panels=[panel("V", k=2)]))
    assert "状态为暂停" in {e["expert_id"]: e["reason"] for e in res["panels"][0]["excluded"]}.get("E-T", "状态为暂停")
    assert "T" not in members(res, "V")

    def reload(status: str, fields: str) -> None:
        world.expert("E-T", "T", fields=fields.split(";"), status=status)
        world.load(db, settings)

    reload("在库", "规划编制")  # the same file again
    assert status_history(db, settings, "E-T")["status"] == "暂停"  # type: ignore[index]
    reload("在库", "规划编制;国土空间总体规划")  # the row changed, its status did not
    assert status_history(db, settings, "E-T")["status"] == "暂停"  # type: ignore[index]
    reload("出库", "规划编制;国土空间总体规划")  # the file says something new: it is newer than the decision
    h = status_history(db, settings, "E-T")
    assert h is not None and h["status"] == "出库" and h["status_source"] == "file"
    assert [(x["status"], x["source"]) for x in h["history"]] == [("在库", "file"), ("暂停", "service"), ("出库", "file")]
    assert h["history"][1]["reason"] == "本人申请暂停一年" and h["history"][1]["actor"] == "m1"
    audit = read(db, settings, "MATCH (a:AuditEvent {action: 'expert_status', target: 'E-T'}) RETURN a.user_id AS u")
    assert [r["u"] for r in audit] == ["m1"]


def test_cli_assign_prints_the_answer_and_refuses_bad_batches(world: Scenario, cli_env: dict[str, str],
                                                              tmp_path: Path) -> None:
    good = tmp_path / "batch.json"
    good.write_text(json.dumps({"as_of": AS_OF.isoformat(), "mode": "random", "seed": 3, "constraints": {"max_per_unit": 1},
                                "panels": [panel("C1", k=2)]}, ensure_ascii=False), encoding="utf-8")
    xlsx = tmp_path / "rosters.xlsx"
    r = subprocess.run(["plantalent", "panels", "assign", "--json", str(good), "--no-embed", "--xlsx", str(xlsx)],
                       env=cli_env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert len(out["panels"][0]["experts"]) == 2 and out["draw_id"].startswith("D-")
    assert xlsx.stat().st_mode & 0o777 == 0o600
    shown = subprocess.run(["plantalent", "panels", "draw", out["draw_id"]], env=cli_env, capture_output=True, text=True,
                           timeout=300)
    assert shown.returncode == 0 and json.loads(shown.stdout)["seed"] == 3
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"constraints": {"min_women": 1}, "panels": [panel("C1")]}), encoding="utf-8")
    r = subprocess.run(["plantalent", "panels", "assign", "--json", str(bad)], env=cli_env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 2 and "未知的约束条件 min_women" in r.stderr and len(r.stderr.strip().splitlines()) == 1
