"""Expert search and recommendation on the planted world (tests/expert_world.py)."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from neo4j import Driver
from pydantic import ValidationError

from graph.settings import Settings
from queries.experts import RecommendRequest, lucene_query, recommend, search_experts
from tagging.embed import HashEmbedder
from tagging.tagger import run_tagging
from tests.expert_world import AS_OF, UEX, expert_world, ids

X = ids()
VILLAGE = {"text": "实用性村庄规划成果评审", "plan_type": "村庄规划", "level": "县级", "province": "浙江省", "as_of": AS_OF.isoformat()}


@pytest.fixture(scope="module")
def world(db: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Driver:
    expert_world().load(db, settings, tmp_path_factory.mktemp("experts"))
    run_tagging(db, settings, as_of=AS_OF, embedder=HashEmbedder(64))
    return db


def rec(world: Driver, settings: Settings, **kw: object) -> dict:
    body = {**VILLAGE, "k": 15, **kw}
    return recommend(world, settings, RecommendRequest.model_validate(body), embedder=HashEmbedder(64))


def test_conflicts_of_interest_are_excluded_with_reasons(world: Driver, settings: Settings) -> None:
    res = rec(world, settings, exclude_unit_ids=[UEX.lower()])
    got = {e["expert_id"] for e in res["experts"]}
    reasons = {e["expert_id"]: e["reason"] for e in res["excluded"]}
    for allowed in ("X01", "X02", "X03", "X06", "X11", "X14", "X15"):
        assert allowed in got, allowed
    expect = {"X04": "任职", "X05": "任职", "X12": "注册", "X13": "社保", "X07": "违规", "X08": "高风险预警",
              "X10": "超过70周岁", "X09": "不在库"}
    for eid, word in expect.items():
        assert eid not in got, eid
        assert word in reasons[eid], (eid, reasons[eid])
    assert UEX in reasons["X04"]


def test_excluded_unit_staff_allowed_when_not_excluded(world: Driver, settings: Settings) -> None:
    got = {e["expert_id"] for e in rec(world, settings)["experts"]}
    assert {"X04", "X05", "X12", "X13"} <= got
    assert not got & {"X07", "X08", "X09", "X10"}


def test_three_year_window_edges(world: Driver, settings: Settings) -> None:
    # X06 left UEX on 2022-06-01: allowed on 2025-06-30, excluded on 2025-05-31 (still inside 3 years)
    later = {e["expert_id"] for e in rec(world, settings, exclude_unit_ids=[UEX])["experts"]}
    earlier = {e["expert_id"] for e in rec(world, settings, exclude_unit_ids=[UEX], as_of="2025-05-31")["experts"]}
    assert "X06" in later and "X06" not in earlier
    # X14's violation (2021-01-10) is older than 3 years; on 2024-01-09 it is not
    assert "X14" not in {e["expert_id"] for e in rec(world, settings, as_of="2024-01-09")["experts"]}


def test_age_limit_edge(world: Driver, settings: Settings) -> None:
    # X11 born 1955-07-01: 70 on 2026-06-30 (allowed), 71 on 2026-07-01 (excluded)
    assert "X11" in {e["expert_id"] for e in rec(world, settings, as_of="2026-06-30")["experts"]}
    res = rec(world, settings, as_of="2026-07-01")
    assert "X11" not in {e["expert_id"] for e in res["experts"]}
    assert "71岁" in {e["expert_id"]: e["reason"] for e in res["excluded"]}["X11"]


def test_ranking_sanity_and_reasons(world: Driver, settings: Settings) -> None:
    res = rec(world, settings, k=5, exclude_unit_ids=[UEX])
    top = res["experts"][0]
    assert top["expert_id"] == "X01" and top["person_id"] == X["X01"] and top["name"] == "张村规"
    assert any(r.startswith("标签匹配：村庄规划(权重") for r in top["reasons"])
    assert "主持省级项目1项" in top["reasons"] and "主持市级项目2项" in top["reasons"]
    assert [e["score"] for e in res["experts"]] == sorted((e["score"] for e in res["experts"]), reverse=True)
    t = recommend(world, settings, RecommendRequest(text="城市综合交通规划与轨道交通线网评审", as_of=AS_OF), embedder=HashEmbedder(64))
    assert t["experts"][0]["expert_id"] == "X02"
    h = recommend(world, settings, RecommendRequest(text="历史文化街区保护", plan_type="专项规划", as_of=AS_OF))
    assert h["experts"][0]["expert_id"] == "X03"


def test_spread_provinces(world: Driver, settings: Settings) -> None:
    res = rec(world, settings, k=6, spread_provinces=True)
    assert len(res["experts"]) == 6
    rows = world.execute_query(
        "UNWIND $ids AS eid MATCH (p:Person)-[:IS_EXPERT]->(:Expert {expert_id: eid}) "
        "MATCH (p)-[:HAS_EMPLOYMENT]->(x:Employment)-[:AT]->(o:Org) WHERE x.end_date IS NULL RETURN o.province AS prov",
        ids=[e["expert_id"] for e in res["experts"]], database_=settings.neo4j_database).records
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["prov"]] = counts.get(r["prov"], 0) + 1
    assert max(counts.values()) <= 2


def test_request_validation() -> None:
    with pytest.raises(ValidationError):
        RecommendRequest.model_validate({"text": "", "k": 0})
    with pytest.raises(ValidationError):
        RecommendRequest.model_validate({"text": "村庄规划", "unknown": 1})
    r = RecommendRequest.model_validate({"text": "x", "exclude_unit_ids": [f" {UEX.lower()} "]})
    assert r.exclude_unit_ids == [UEX] and r.k == 10
    assert lucene_query('村庄 "规划" AND (x)') == '村庄 \\"规划\\" AND \\(x\\)'


def test_search_by_tag_keyword_and_filters(world: Driver, settings: Settings) -> None:
    res = search_experts(world, settings, q="村庄规划")
    assert res["data"][0]["expert_id"] == "X01"
    assert res["count"] >= 13 and "X09" in {d["expert_id"] for d in res["data"]}  # search lists every pool status
    assert res["data"][0]["tags"] and res["data"][0]["matched"]
    zj = search_experts(world, settings, q="村庄规划", province="浙江")
    assert {d["province"] for d in zj["data"]} == {"浙江省"} and zj["count"] == 4
    assert search_experts(world, settings, q="heritage")["data"][0]["expert_id"] == "X03"
    assert search_experts(world, settings, q="张村规")["data"][0]["expert_id"] == "X01"  # name via full-text
    nat = search_experts(world, settings, level="国家级")
    assert {d["expert_id"] for d in nat["data"]} == {"X02", "X10"}
    assert {d["expert_id"] for d in search_experts(world, settings, field="交通")["data"]} == {"X02"}
    p1 = search_experts(world, settings, q="村庄规划", page=1, page_size=5)
    p2 = search_experts(world, settings, q="村庄规划", page=2, page_size=5)
    assert len(p1["data"]) == 5 and p1["count"] == p2["count"]
    assert not {d["expert_id"] for d in p1["data"]} & {d["expert_id"] for d in p2["data"]}
    assert search_experts(world, settings, q="完全无关的量子物理")["count"] == 0


def test_hybrid_with_packaged_model(world: Driver, settings: Settings) -> None:
    from tagging.embed import load_embedder
    from tagging.tagger import run_embeddings

    emb = load_embedder(settings)
    assert run_embeddings(world, settings, emb) == 15
    res = recommend(world, settings, RecommendRequest(text="乡村规划编制技术审查", exclude_unit_ids=[UEX], as_of=AS_OF), embedder=emb)
    assert res["experts"][0]["expert_id"] == "X01"
    assert any(r.startswith("语义相似") for e in res["experts"] for r in e["reasons"])
    # no lexical hit at all: only vector hits above the cosine floor are returned
    loose = settings.model_copy(update={"experts": settings.experts.model_copy(update={"search_min_cosine": -1.0})})
    s = search_experts(world, loose, q="village planning", embedder=emb, page_size=50)
    assert s["count"] == 15 and all(d["matched"][0].startswith("语义相似") for d in s["data"])
    assert search_experts(world, settings, q="village planning")["count"] == 0


def test_cli_recommend_search_tag(world: Driver, settings: Settings, cli_env: dict[str, str], tmp_path: Path) -> None:
    req = tmp_path / "req.json"
    req.write_text(json.dumps({**VILLAGE, "exclude_unit_ids": [UEX], "k": 3}, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(["plantalent", "experts", "recommend", "--json", str(req), "--no-embed"], env=cli_env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert set(body) == {"experts", "excluded"} and len(body["experts"]) == 3
    assert set(body["experts"][0]) == {"expert_id", "person_id", "name", "score", "reasons"}
    assert body["experts"][0]["expert_id"] == "X01"
    bad = tmp_path / "bad.json"
    bad.write_text('{"k": 0}', encoding="utf-8")
    out = subprocess.run(["plantalent", "experts", "recommend", "--json", str(bad)], env=cli_env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and "text" in out.stderr
    out = subprocess.run(["plantalent", "tag", "--json", "--no-embed", "--as-of", date(2025, 6, 30).isoformat()], env=cli_env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["changed"] == 0
