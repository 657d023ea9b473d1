"""Benchmark of tagging, embedding, expert search and recommendation.

    python -m bench.experts --sample DIR [--load] [--out bench-experts.json]

Uses the Neo4j of the environment (NEO4J_URI …) and the configured embedding model. With
``--load`` the sample folder is ingested first (ingest.loader.load_folder, idempotent).
Reads DIR/expert_requests.jsonl ({text, plan_type, level, province, relevant_expert_ids}); when
the file is missing, a built-in labelled set is used (relevant = experts whose Expert.fields name
the specialty). Reports nDCG@10 and P@5 for lexical-only, embedding-only and hybrid ranking on two request
sets: the sample's (worded from the taxonomy, as the experts' fields are) and OUTSIDE (paraphrases, related
terms, longer task descriptions; same relevant experts), and the
number of conflict-of-interest violations (checked by an independent Cypher query, must be 0),
latency p50/p95 of search and recommend, and tagging/embedding throughput (profiles/s).

Ranking uses one ExpertIndex (as the web app does, queries/experts.py), read after tagging. Latency
is reported twice: ``latency_ms`` with the query-vector cache cleared before every call (each
request pays the sentence encoding) and ``latency_warm_ms`` with it warm (repeated queries).
``--embed-scope experts`` embeds only experts' profiles (what search uses); ``--skip-tagging``
reuses stored tags and embeddings. The load average is recorded with the figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from graph.db import connect, read
from graph.settings import Settings
from queries import experts as experts_mod
from queries.experts import RecommendRequest, load_index, recommend, search_experts
from tagging.embed import load_embedder, use_query_threads
from tagging.nlp import get_matcher
from tagging.tagger import run_embeddings, run_tagging

# Independent check of DESIGN.md's 回避 rules for one recommended expert (does not reuse queries/experts).
COI_CHECK = """
MATCH (p:Person)-[:IS_EXPERT]->(e:Expert {expert_id: $expert_id})
RETURN e.status <> '在库' AS not_in_pool,
       EXISTS { MATCH (p)-[:HAS_EMPLOYMENT]->(x:Employment)-[:AT]->(o:Org) WHERE o.unit_id IN $units
                AND x.start_date <= $as_of AND coalesce(x.end_date, $as_of) >= $since } AS employment,
       EXISTS { MATCH (p)-[:HAS_REGISTRATION]->(r:Registration)-[:AT]->(o:Org) WHERE o.unit_id IN $units
                AND r.valid_from <= $as_of AND coalesce(r.valid_to, $as_of) >= $since } AS registration,
       EXISTS { MATCH (p)-[:HAS_INSURANCE]->(i:Insurance)-[:AT]->(o:Org) WHERE o.unit_id IN $units
                AND i.start_month <= $as_of AND coalesce(i.end_month, $as_of) >= date.truncate('month', $since) } AS insurance,
       EXISTS { MATCH (v:Violation)-[:AGAINST]->(p) WHERE $vsince <= v.decided <= $as_of } AS violation,
       EXISTS { MATCH (a:Alert {status: 'open', severity: 'high'})-[:CONCERNS]->(p) } AS alert,
       duration.between(p.birth_date, $as_of).years > $max_age AS too_old
"""
CURRENT_UNITS = """
UNWIND $ids AS eid
MATCH (p:Person)-[:IS_EXPERT]->(:Expert {expert_id: eid})
MATCH (p)-[:HAS_EMPLOYMENT]->(x:Employment)-[:AT]->(o:Org)
WHERE x.end_date IS NULL OR x.end_date >= $as_of
RETURN DISTINCT o.unit_id AS unit_id
"""
EXPERTS_BY_FIELD = """
MATCH (e:Expert {status: '在库'}) WHERE any(f IN e.fields WHERE f CONTAINS $word)
RETURN collect(e.expert_id) AS ids
"""
BUILTIN = [
    ("村庄规划", "请推荐村庄规划成果评审专家"), ("交通", "综合交通规划评审"), ("历史文化", "历史文化名城保护规划论证"),
    ("生态", "国土空间生态修复规划评审"), ("海绵", "海绵城市专项规划审查"), ("城市设计", "总体城市设计方案评审"),
    ("详细规划", "控制性详细规划修编技术审查"), ("总体规划", "市级国土空间总体规划成果审查"), ("土地整治", "全域土地综合整治试点方案论证"),
    ("城市更新", "老旧小区改造与城市更新专项评审"),
]


def dcg(rels: list[int]) -> float:
    return sum(r / math.log2(i + 2) for i, r in enumerate(rels))


def ndcg_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    ideal = dcg([1] * min(k, len(relevant)))
    return dcg([1 if e in relevant else 0 for e in ranked[:k]]) / ideal if ideal else 0.0


def p_at(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    return sum(1 for e in ranked[:k] if e in relevant) / k


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")


def variant(settings: Settings, mode: str) -> Settings:
    """Settings whose ranking weights keep only one family of signals."""
    ex = settings.experts
    if mode == "lexical":
        upd = {"w_embedding": 0.0}
    elif mode == "embedding":
        upd = {"w_tag": 0.0, "w_fulltext": 0.0, "w_experience": 0.0, "w_credit": 0.0, "w_province": 0.0, "w_embedding": 1.0}
    else:
        upd = {}
    return settings.model_copy(update={"experts": ex.model_copy(update=upd)})


# Requests phrased outside the taxonomy: paraphrases, related terms and longer task descriptions that name
# neither a specialty's label nor its fields, so keyword matching alone cannot rank them (the requests of
# expert_requests.jsonl come from the same list as the experts' fields and the taxonomy). Relevant experts:
# those of the same specialty in expert_requests.jsonl.
OUTSIDE: dict[str, tuple[str, ...]] = {
    "master_plan": ("评审一个地级市面向2035年的全域空间发展蓝图，重点看城镇开发边界、永久基本农田与生态红线如何统筹",
                    "需要懂市县层面空间战略和全域用途管制分区的评委"),
    "regulatory_plan": ("新区某地块的容积率、建筑限高和用地性质调整论证会，需要懂地块开发强度管控的人",
                        "街区尺度的开发指标与配套设施落位方案审查"),
    "village_plan": ("帮几个行政村编制发展方案，涉及宅基地布局、农房风貌和乡村振兴项目安排，请找合适的评审人",
                     "美丽乡村建设与农村人居环境整治方案把关"),
    "urban_design": ("滨水街区的空间形态、天际线和公共空间品质提升方案需要外部专家把关",
                     "城市中心区建筑高度分区与街道界面塑造方案论证"),
    "transport": ("新城道路网密度、公交走廊和轨道站点周边开发衔接方案评审",
                  "解决老城区停车难与道路拥堵的出行组织方案"),
    "municipal": ("给排水管网、供电供热和燃气站点布局方案技术论证", "海绵城市建设和地下综合管廊布局的评审"),
    "eco_restoration": ("废弃采石场复绿与水土流失治理方案评审", "流域湿地退化和生物多样性恢复工程实施方案论证"),
    "heritage": ("古镇老街区修缮和传统风貌延续方案需要把关，涉及不可移动文物周边建设控制",
                 "历史建筑活化利用方案评审"),
    "land_consolidation": ("高标准农田建设与田块归并、耕地提质改造项目验收", "低效建设用地复垦和城乡建设用地增减挂钩项目评审"),
    "gis": ("空间数据库建设、遥感监测和规划实施监督系统开发方案评审", "三维实景建模与数字孪生城市平台建设论证"),
    "marine": ("围填海管控、近岸海域功能分区与滨海湿地保护方案评审", "港口岸线资源利用与海岛开发保护论证"),
    "disaster": ("山区县滑坡泥石流隐患排查与避险搬迁安置方案评审", "城市内涝风险评估和应急避难场所布局论证"),
    "urban_renewal": ("老旧小区改造和城中村拆除重建方案，需要懂存量用地再开发的评审专家",
                      "低效工业用地退二进三和存量空间再利用的实施路径论证"),
    "industry": ("高新区主导产业选择、招商项目布局和产城融合方案评审", "经济技术开发区扩区调区与产业链空间布局论证"),
    "landscape": ("城市公园、绿道网络和口袋公园布局方案需要懂植物配置的专家", "风景名胜区游览设施布置评审"),
}


def outside_requests(reqs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The OUTSIDE requests with the relevant experts of their specialty (from the sample's requests)."""
    relevant = {r["specialty"]: r["relevant_expert_ids"] for r in reqs if r.get("specialty")}
    return [{"text": text, "specialty": spec, "relevant_expert_ids": relevant[spec]}
            for spec, texts in OUTSIDE.items() if spec in relevant for text in texts]


def load_requests(driver: Any, settings: Settings, sample: Path) -> list[dict[str, Any]]:
    path = sample / "expert_requests.jsonl"
    if path.is_file():
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for word, text in BUILTIN:
        ids = read(driver, settings, EXPERTS_BY_FIELD, word=word)[0]["ids"]
        for suffix in ("", "，要求有省级项目经验", "，来自外省"):
            out.append({"text": text + suffix, "relevant_expert_ids": ids})
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=Path, required=True)
    ap.add_argument("--load", action="store_true", help="ingest the sample folder first")
    ap.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    ap.add_argument("--repeat", type=int, default=3, help="latency repetitions per request")
    ap.add_argument("--skip-tagging", action="store_true", help="reuse the stored tags and embeddings (no throughput figures)")
    ap.add_argument("--embed-scope", choices=("all", "experts"), default="all", help="whose profiles to embed")
    args = ap.parse_args(argv)
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    settings = Settings()
    meta_path = args.sample / "sample_meta.json"
    as_of = date.fromisoformat(json.loads(meta_path.read_text())["as_of"]) if meta_path.is_file() else settings.today()
    settings = settings.model_copy(update={"as_of": as_of})
    driver = connect(settings)
    figures: dict[str, Any] = {"as_of": as_of.isoformat(), "model": settings.embed_model,
                               "loadavg_start": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    try:
        if args.load:
            from ingest.loader import load_folder

            t = time.perf_counter()
            rep = load_folder(driver, settings, args.sample)
            figures["ingest"] = {"loaded": rep.loaded, "rejected": rep.rejected, "seconds": round(time.perf_counter() - t, 1)}
        get_matcher()  # spaCy + jieba load, not part of the throughput
        t = time.perf_counter()
        embedder = load_embedder(settings)
        figures["model_load_s"] = round(time.perf_counter() - t, 1)
        if not args.skip_tagging:
            rep = run_tagging(driver, settings, as_of=as_of, force=True)
            figures["tagging"] = {"persons": rep.persons, "tags": rep.tags_written, "seconds": round(rep.tag_seconds, 2),
                                  "profiles_per_s": round(rep.persons / rep.tag_seconds, 1)}
            t = time.perf_counter()
            n = run_embeddings(driver, settings, embedder, force=True, scope=args.embed_scope)
            sec = time.perf_counter() - t
            figures["embedding"] = {"profiles": n, "scope": args.embed_scope, "seconds": round(sec, 2),
                                    "profiles_per_s": round(n / sec, 1) if sec else None}
            inc = run_tagging(driver, settings, as_of=as_of, embedder=embedder, embed_scope=args.embed_scope)
            figures["incremental_rerun"] = {"changed": inc.changed, "embedded": inc.embedded, "seconds": round(inc.tag_seconds, 2)}
        use_query_threads(settings)  # as the web app serves queries (tagging above used torch's default)
        t = time.perf_counter()
        index = load_index(driver, settings)
        figures["expert_index"] = {"experts": len(index.rows), "vectors": len(index.emb_pids), "load_s": round(time.perf_counter() - t, 2)}

        reqs = load_requests(driver, settings, args.sample)
        outside = outside_requests(reqs)
        figures["requests"] = {"taxonomy": len(reqs), "outside": len(outside)}
        quality: dict[str, dict[str, dict[str, float]]] = {}
        for name, request_set in (("taxonomy", reqs), ("outside", outside)):
            for mode in ("lexical", "embedding", "hybrid"):
                s = variant(settings, mode)
                emb = None if mode == "lexical" else embedder
                nd, pa = [], []
                for r in request_set:
                    body = RecommendRequest(text=r["text"], plan_type=r.get("plan_type"), level=r.get("level"),
                                            province=r.get("province"), k=10, as_of=as_of)
                    ranked = [e["expert_id"] for e in recommend(driver, s, body, embedder=emb, index=index)["experts"]]
                    rel = set(r["relevant_expert_ids"])
                    nd.append(ndcg_at(ranked, rel))
                    pa.append(p_at(ranked, rel))
                if nd:
                    quality.setdefault(name, {})[mode] = {"ndcg@10": round(statistics.mean(nd), 4),
                                                          "p@5": round(statistics.mean(pa), 4)}
        figures["quality"] = quality

        # conflict of interest: exclude the current units of each request's top 3, then check every pick
        violations, checked, excluded_total = 0, 0, 0
        ex = settings.experts
        since = as_of.replace(year=as_of.year - ex.avoid_years)
        vsince = as_of.replace(year=as_of.year - ex.violation_years)
        for r in reqs:
            base = RecommendRequest(text=r["text"], plan_type=r.get("plan_type"), level=r.get("level"), k=10, as_of=as_of)
            first = recommend(driver, settings, base, embedder=embedder, index=index)
            units = [u["unit_id"] for u in read(driver, settings, CURRENT_UNITS, ids=[e["expert_id"] for e in first["experts"][:3]], as_of=as_of)]
            res = recommend(driver, settings, base.model_copy(update={"exclude_unit_ids": units}), embedder=embedder, index=index)
            excluded_total += len(res["excluded"])
            for e in res["experts"]:
                row = read(driver, settings, COI_CHECK, expert_id=e["expert_id"], units=units, as_of=as_of, since=since,
                           vsince=vsince, max_age=ex.max_age)[0]
                checked += 1
                if any(row.values()):
                    violations += 1
                    print("CONFLICT", e["expert_id"], row)
        figures["conflict_of_interest"] = {"recommended_checked": checked, "violations": violations, "excluded_reported": excluded_total}

        search_experts(driver, settings, q=reqs[0]["text"], embedder=embedder, index=index)  # warm-up
        for key, cold in (("latency_ms", True), ("latency_warm_ms", False)):
            lat_s, lat_r = [], []
            for _ in range(args.repeat):
                for r in reqs:
                    if cold:
                        experts_mod.clear_query_vectors()
                    t = time.perf_counter()
                    search_experts(driver, settings, q=r["text"], province=r.get("province"), embedder=embedder, index=index)
                    lat_s.append((time.perf_counter() - t) * 1000)
                    body = RecommendRequest(text=r["text"], plan_type=r.get("plan_type"), level=r.get("level"),
                                            province=r.get("province"), k=10, as_of=as_of)
                    if cold:
                        experts_mod.clear_query_vectors()
                    t = time.perf_counter()
                    recommend(driver, settings, body, embedder=embedder, index=index)
                    lat_r.append((time.perf_counter() - t) * 1000)
            figures[key] = {
                "search": {"p50": round(pct(lat_s, 0.5), 1), "p95": round(pct(lat_s, 0.95), 1), "n": len(lat_s)},
                "recommend": {"p50": round(pct(lat_r, 0.5), 1), "p95": round(pct(lat_r, 0.95), 1), "n": len(lat_r)},
            }
        figures["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        driver.close()
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.out:
        args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
