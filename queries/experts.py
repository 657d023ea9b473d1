"""Expert search and panel recommendation with conflict-of-interest avoidance (回避).

Both rank by the same components, each 0..1, weighted by ``settings.experts``:
- tag: Σ (request-tag factor × the expert's HAS_TAG weight) mapped by 1 − e^(−s/3); request tags
  are the taxonomy matches of the text plus plan_type (国土空间总体规划 + level 市级 = 市级总规);
  ancestors of a request tag count 0.3;
- fulltext: Lucene score on the `person_text` (cjk) index ÷ the best score of the query;
- embedding: `person_embedding` vector-index score, min–max scaled over the hits;
- experience: project levels × roles, awards, expert level (tagging/scoring.py);
- credit: person credit points (tagging/scoring.py) mapped to 0..1;
- province: a small bonus when the expert's current unit is in the requested province.
`RecommendRequest` (the body of POST /api/experts/recommend) lives here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from neo4j import Driver
from neo4j.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph.db import read
from graph.settings import Settings
from queries import load
from tagging.embed import Embedder
from tagging.nlp import get_matcher, load_taxonomy
from tagging.scoring import credit_points, credit_score, experience
from tagging.tagger import MASTER_BY_LEVEL

LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')
PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
IN_POOL = "在库"


class RecommendRequest(BaseModel):
    """A review-panel request (DESIGN.md); all but ``text`` optional."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000, description="what the panel reviews")
    plan_type: str | None = Field(None, max_length=50)
    level: str | None = Field(None, max_length=20, description="省级/市级/县级/乡镇级")
    province: str | None = Field(None, max_length=30)
    exclude_unit_ids: list[str] = Field(default_factory=list, description="units whose staff must be avoided")
    k: int = Field(10, ge=1, le=100)
    as_of: date | None = None
    spread_provinces: bool = Field(False, description="at most ceil(k/3) experts per province")

    @field_validator("exclude_unit_ids")
    @classmethod
    def _upper(cls, v: list[str]) -> list[str]:
        return [u.strip().upper() for u in v if u and u.strip()]


@dataclass
class Components:
    """Per-person text relevance for one query."""

    request_tags: dict[str, float] = field(default_factory=dict)
    tag_sum: dict[str, float] = field(default_factory=dict)
    tag_hits: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    fulltext: dict[str, float] = field(default_factory=dict)
    embedding: dict[str, float] = field(default_factory=dict)
    cosine: dict[str, float] = field(default_factory=dict)

    def lexical_ids(self) -> set[str]:
        return set(self.tag_sum) | set(self.fulltext)


def norm_province(p: str | None) -> str | None:
    """`浙江省` / `浙江` -> `浙江`; `广西壮族自治区` -> `广西`."""
    if not p:
        return None
    return PROVINCE_SUFFIX.sub("", p.strip()) or p.strip()


def lucene_query(text: str, max_chars: int = 200) -> str:
    """User text as a safe Lucene query (special characters escaped, bounded length)."""
    text = " ".join(text.split())[:max_chars]
    return LUCENE_SPECIAL.sub(r"\\\1", text).strip()


def request_tags(text: str, plan_type: str | None = None, level: str | None = None) -> dict[str, float]:
    """Tag ids a request asks for, with factors (1 direct, 0.3 for an ancestor)."""
    tax = load_taxonomy()
    matcher = get_matcher()
    direct: set[str] = set()
    exact = tax.resolve(text) if len(text) <= 30 else None
    if exact:
        direct.add(exact)
    for src in (text, plan_type or ""):
        direct.update(m.tag_id for m in matcher.match(src))
    if plan_type and tax.resolve(plan_type):
        direct.add(tax.resolve(plan_type))  # type: ignore[arg-type]
    if "master_plan" in direct and level in MASTER_BY_LEVEL:
        direct.add(MASTER_BY_LEVEL[level])
    out = {t: 1.0 for t in direct}
    for t in direct:
        for anc in tax.ancestors(t):
            out.setdefault(anc, 0.3)
    return out


def text_components(driver: Driver, settings: Settings, text: str, tags: dict[str, float], embedder: Embedder | None) -> Components:
    """Tag, full-text and vector relevance of experts for ``text``."""
    c = Components(request_tags=tags)
    if tags:
        for r in read(driver, settings, load("experts/tag_weights"), tag_ids=list(tags)):
            pid = r["person_id"]
            w = tags[r["tag_id"]] * (r["weight"] or 0.0)
            c.tag_sum[pid] = c.tag_sum.get(pid, 0.0) + w
            c.tag_hits.setdefault(pid, []).append((r["label"], r["weight"] or 0.0))
    q = lucene_query(text)
    if q:
        hits = read(driver, settings, load("experts/fulltext"), q=q, limit=settings.experts.fulltext_limit)
        best = max((h["score"] for h in hits), default=0.0)
        if best > 0:
            c.fulltext = {h["person_id"]: h["score"] / best for h in hits}
    if embedder is not None:
        vec = embedder.embed([text])[0].tolist()
        try:
            hits = read(driver, settings, load("experts/vector"), k=settings.experts.vector_k, vector=vec)
        except ClientError:
            hits = []  # no vector index yet (nothing embedded) or another dimension: lexical only
        if hits:
            lo, hi = min(h["score"] for h in hits), max(h["score"] for h in hits)
            for h in hits:
                c.cosine[h["person_id"]] = 2 * h["score"] - 1
                c.embedding[h["person_id"]] = (h["score"] - lo) / (hi - lo) if hi > lo else 1.0
    return c


def _tag_score(s: float) -> float:
    return 1 - math.exp(-s / 3)


def _age(birth: str | None, person_id: str, as_of: date) -> int | None:
    """Completed years on ``as_of`` (birth date, else the one inside the ID number)."""
    b: date | None = None
    if birth:
        b = date.fromisoformat(birth[:10])
    elif len(person_id) == 18 and person_id[6:14].isdigit():
        try:
            b = date(int(person_id[6:10]), int(person_id[10:12]), int(person_id[12:14]))
        except ValueError:
            b = None
    if b is None:
        return None
    return as_of.year - b.year - ((as_of.month, as_of.day) < (b.month, b.day))


def conflict_reasons(c: dict[str, Any], settings: Settings, as_of: date) -> list[str]:
    """Why expert ``c`` (a row of experts/candidates.cypher) must be avoided; empty if not."""
    out = []
    if c["status"] != IN_POOL:
        out.append(f"状态为{c['status'] or '未知'}，不在库")
    for link in c["unit_links"]:
        span = f"{link['from']}至{link['to'] or '今'}"
        out.append(f"回避单位：{link['kind']}于{link['unit'] or link['unit_id']}（{link['unit_id']}，{span}），在{settings.experts.avoid_years}年回避期内")
    for v in c["violations"]:
        out.append(f"近{settings.experts.violation_years}年有违规处罚：{v['category'] or ''}（{v['severity'] or ''}，{v['decided']}，{v['violation_id']}）")
    for a in c["alerts"]:
        out.append(f"存在未关闭的高风险预警：{a['rule']}（{a['alert_id']}）")
    age = _age(c.get("birth_date"), c["person_id"], as_of)
    if age is not None and age > settings.experts.max_age:
        out.append(f"年龄{age}岁，超过{settings.experts.max_age}周岁")
    return out


def _candidates(driver: Driver, settings: Settings, as_of: date, units: list[str], ids: list[str] | None = None) -> list[dict[str, Any]]:
    ex = settings.experts
    return read(
        driver, settings, load("experts/candidates"),
        as_of=as_of, since=_years_before(as_of, ex.avoid_years), vsince=_years_before(as_of, ex.violation_years),
        units=units, ids=ids,
    )


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def recommend(driver: Driver, settings: Settings, request: RecommendRequest, embedder: Embedder | None = None) -> dict[str, Any]:
    """A ranked review panel {experts, excluded} with reasons; conflicts of interest never recommended."""
    as_of = request.as_of or settings.today()
    ex = settings.experts
    tags = request_tags(request.text, request.plan_type, request.level)
    comp = text_components(driver, settings, request.text, tags, embedder)
    cands = _candidates(driver, settings, as_of, request.exclude_unit_ids)
    facts = {r["person_id"]: r for r in read(driver, settings, load("experts/experience"), ids=[c["person_id"] for c in cands])}
    want_prov = norm_province(request.province)
    ranked: list[tuple[float, dict[str, Any], list[str]]] = []
    excluded: list[tuple[bool, float, dict[str, str]]] = []
    for c in cands:
        pid = c["person_id"]
        f = facts.get(pid, {})
        exp, exp_reasons = experience(f.get("projects", []), f.get("awards", []), c["level"], level=request.level)
        credit = credit_points(f.get("violations", []), f.get("awards", []), as_of)
        parts = {
            "tag": _tag_score(comp.tag_sum.get(pid, 0.0)),
            "fulltext": comp.fulltext.get(pid, 0.0),
            "embedding": comp.embedding.get(pid, 0.0),
            "experience": exp,
            "credit": credit_score(credit["points"]),
            "province": 1.0 if want_prov and norm_province(c["province"]) == want_prov else 0.0,
        }
        score = (ex.w_tag * parts["tag"] + ex.w_fulltext * parts["fulltext"] + ex.w_embedding * parts["embedding"]
                 + ex.w_experience * parts["experience"] + ex.w_credit * parts["credit"] + ex.w_province * parts["province"])
        conflicts = conflict_reasons(c, settings, as_of)
        if conflicts:
            relevant = pid in comp.lexical_ids() or bool(c["unit_links"])
            if c["status"] == IN_POOL or relevant:
                excluded.append((relevant, score, {"expert_id": c["expert_id"], "reason": "；".join(conflicts)}))
            continue
        reasons = _reasons(comp, pid, parts, exp_reasons, credit["points"], c)
        ranked.append((score, c, reasons))
    ranked.sort(key=lambda x: (-x[0], x[1]["expert_id"]))
    chosen = _spread(ranked, request.k) if request.spread_provinces else ranked[: request.k]
    excluded.sort(key=lambda x: (not x[0], -x[1], x[2]["expert_id"]))
    return {
        "experts": [
            {"expert_id": c["expert_id"], "person_id": c["person_id"], "name": c["name"], "score": round(s, 4), "reasons": r}
            for s, c, r in chosen
        ],
        "excluded": [e for _, _, e in excluded[: ex.max_excluded]],
    }


def _reasons(comp: Components, pid: str, parts: dict[str, float], exp_reasons: list[str], points: int, c: dict[str, Any]) -> list[str]:
    out = [f"标签匹配：{label}(权重{w:.1f})" for label, w in sorted(comp.tag_hits.get(pid, []), key=lambda x: -x[1])[:3]]
    if parts["fulltext"] >= 0.3:
        out.append(f"全文匹配：相关度{parts['fulltext']:.2f}")
    if pid in comp.cosine and parts["embedding"] >= 0.5:
        out.append(f"语义相似：{comp.cosine[pid]:.2f}")
    out += exp_reasons[:3]
    if c["level"]:
        out.append(f"{c['level']}专家")
    out.append(f"信用积分{points}")
    if parts["province"]:
        out.append(f"同省专家：{c['province']}")
    elif c.get("unit_name"):
        out.append(f"所在单位：{c['unit_name']}（{c['province'] or '省份未知'}）")
    return out


def _spread(ranked: list[tuple[float, dict[str, Any], list[str]]], k: int) -> list[tuple[float, dict[str, Any], list[str]]]:
    """Top ``k`` with at most ceil(k/3) per province (unknown province counts as one province)."""
    cap = math.ceil(k / 3)
    per: dict[str | None, int] = {}
    out = []
    for item in ranked:
        prov = norm_province(item[1]["province"])
        if per.get(prov, 0) >= cap:
            continue
        per[prov] = per.get(prov, 0) + 1
        out.append(item)
        if len(out) == k:
            break
    return out


def search_experts(
    driver: Driver,
    settings: Settings,
    q: str = "",
    province: str | None = None,
    level: str | None = None,
    field: str | None = None,
    page: int = 1,
    page_size: int = 20,
    embedder: Embedder | None = None,
) -> dict[str, Any]:
    """Experts matching a tag, keyword or free text (hybrid), filtered; {data, count}.

    With text, an expert is a hit when a request tag or the full-text index matches, or (with an
    embedder) when the profile's cosine similarity reaches ``experts.search_min_cosine``.
    Without text, every expert passing the filters, national experts first.
    """
    ex = settings.experts
    page, page_size = max(1, page), max(1, min(page_size, 200))
    q = (q or "").strip()
    comp = Components()
    ids: list[str] | None = None
    if q:
        comp = text_components(driver, settings, q, request_tags(q), embedder)
        hits = comp.lexical_ids() | {p for p, cos in comp.cosine.items() if cos >= ex.search_min_cosine}
        if not hits:
            return {"data": [], "count": 0}
        ids = sorted(hits)
    field_tags = None
    if field:
        tid = load_taxonomy().resolve(field) or next((m.tag_id for m in get_matcher().match(field)), None)
        field_tags = [tid, *load_taxonomy().children(tid)] if tid else []
    rows = read(driver, settings, load("experts/list"), as_of=settings.today(), ids=ids, level=level or None,
                field=field or None, field_tags=field_tags)
    want = norm_province(province)
    if want:
        rows = [r for r in rows if norm_province(r["province"]) == want]
    level_rank = {"国家级": 0, "省级": 1, "市级": 2}
    for r in rows:
        pid = r["person_id"]
        r["score"] = round(
            ex.w_tag * _tag_score(comp.tag_sum.get(pid, 0.0)) + ex.w_fulltext * comp.fulltext.get(pid, 0.0)
            + ex.w_embedding * comp.embedding.get(pid, 0.0), 4)
        r["matched"] = [f"标签匹配：{lb}(权重{w:.1f})" for lb, w in sorted(comp.tag_hits.get(pid, []), key=lambda x: -x[1])[:3]]
        if comp.fulltext.get(pid, 0) > 0:
            r["matched"].append(f"全文匹配：相关度{comp.fulltext[pid]:.2f}")
        if pid in comp.cosine:
            r["matched"].append(f"语义相似：{comp.cosine[pid]:.2f}")
    rows.sort(key=lambda r: (-r["score"], level_rank.get(r["level"], 9), r["status"] != IN_POOL, r["expert_id"]))
    start = (page - 1) * page_size
    data = rows[start : start + page_size]
    if data:
        tags = {r["person_id"]: r["top_tags"] for r in read(driver, settings, load("experts/top_tags"), ids=[d["person_id"] for d in data])}
        for d in data:
            d["tags"] = [{"tag_id": t["tag_id"], "label": t["label"], "weight": t["weight"]} for t in tags.get(d["person_id"], [])[:5]]
    return {"data": data, "count": len(rows)}
