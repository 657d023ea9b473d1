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

Latency at national scale (200k persons, 2k experts): ranking works on an in-process
`ExpertIndex` — every expert's level, status, fields, units, tag weights, experience and credit
facts and profile embedding, read in one query (experts/snapshot.cypher). Embedding similarity is
an exact dot product over the experts' vectors (no approximate index over all persons, where the
experts are 1%), full text uses the experts-only index `expert_text`, and query vectors are cached
(LRU). Conflicts of interest are never taken from the index: each recommendation reads them live
from their sources (experts/conflicts.cypher: links to the excluded units, recent violations, counting
high alerts, status not 在库), so a stale index can only shift ranking, never let a conflict
through. Callers that serve many requests keep an `ExpertIndexCache` (refreshed in the background
after ``ttl_s``); without one, each call reads a fresh index.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from neo4j import Driver
from neo4j.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph.cypher import CypherFiles
from graph.db import read
from graph.settings import Settings
from queries.alerts import COUNTING
from tagging.embed import Embedder
from tagging.nlp import get_matcher, load_taxonomy
from tagging.scoring import credit_points, credit_score, experience
from tagging.tagger import MASTER_BY_LEVEL

CYPHER = CypherFiles(__file__, "experts")

LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')
PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
IN_POOL = "在库"
PARTS = ("tag", "fulltext", "embedding", "experience", "credit", "province")
LEVEL_RANK = {"国家级": 0, "省级": 1, "市级": 2}  # search: equal scores list national experts first
QUERY_VECTOR_CACHE = 2048

log = logging.getLogger("plantalent.experts")


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


@dataclass
class LevelFacts:
    """Per expert row, for one requested project level: experience 0..1 and its reasons."""

    exp: np.ndarray
    reasons: list[list[str]]


@dataclass
class DayFacts:
    """Per expert row, on one date: current unit, normalised province, credit points and score,
    whether over the age limit."""

    units: list[dict[str, Any]]
    provinces: list[str | None]
    points: list[int]
    credit: np.ndarray
    too_old: np.ndarray

    def in_province(self, want: str | None) -> np.ndarray:
        """1.0 where the expert's current unit is in province ``want`` (normalised), else 0.0."""
        if not want:
            return np.zeros(len(self.provinces))
        return np.fromiter((p == want for p in self.provinces), dtype=np.float64, count=len(self.provinces))


class ExpertIndex:
    """Every expert's ranking facts, read once (experts/snapshot.cypher); see the module docstring.

    Rows are dicts with the keys of the snapshot query, in a fixed order: row ``i`` of the index is
    element ``i`` of the numpy arrays that rank them. What depends on the request only through its
    level or date (experience, current unit, credit, age) is computed once per level / date for all
    rows (`level_facts`, `day_facts`), so a request costs a few vector operations over the experts
    plus work proportional to its hits.
    """

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.loaded_at = time.monotonic()
        self.version: str | None = None  # graph.version at load, when the holder tracks it
        self.rows = rows
        # The experts-only full-text index holds an expert once `plantalent tag` has copied the text;
        # while any expert lacks it (experts loaded after the last tagging), use the all-person index.
        self.fulltext_index = "expert_text" if all(r.get("has_expert_text") for r in rows) else "person_text"
        self.tag_index: dict[str, list[tuple[str, float, str]]] = {}
        self.tags_of: dict[str, set[str]] = {}
        self.top_tags: dict[str, list[dict[str, Any]]] = {}
        self.rows_of: dict[str, list[int]] = {}  # a person may hold two expert records
        self.row_of_expert = {r["expert_id"]: i for i, r in enumerate(rows)}
        vecs: dict[str, list[float]] = {}
        for i, r in enumerate(rows):
            pid = r["person_id"]
            self.rows_of.setdefault(pid, []).append(i)
            if pid in self.tags_of:
                continue  # a person with two expert records: tags and vector once
            tags = r.get("tags") or []
            self.tags_of[pid] = {t["tag_id"] for t in tags}
            for t in tags:
                self.tag_index.setdefault(t["tag_id"], []).append((pid, t["weight"] or 0.0, t["label"]))
            self.top_tags[pid] = sorted(tags, key=lambda t: (-(t["weight"] or 0.0), t["tag_id"]))[:8]
            if r.get("embedding"):
                vecs[pid] = r["embedding"]
        # Rank of each row's expert_id, the tie-break of equal scores.
        order = sorted(range(len(rows)), key=lambda i: rows[i]["expert_id"])
        self.eid_rank = np.empty(len(rows), dtype=np.int64)
        self.eid_rank[order] = np.arange(len(rows))
        self.emb_pids: list[str] = []
        self.emb: np.ndarray | None = None
        if vecs:
            dims: dict[int, int] = {}
            for v in vecs.values():
                dims[len(v)] = dims.get(len(v), 0) + 1
            dim = max(dims, key=lambda d: dims[d])  # the index dimension; other sizes are not indexed
            self.emb_pids = [pid for pid, v in vecs.items() if len(v) == dim]
            m = np.asarray([vecs[pid] for pid in self.emb_pids], dtype=np.float32)
            norms = np.linalg.norm(m, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            self.emb = m / norms
        for r in rows:
            r.pop("embedding", None)
            r.pop("tags", None)
        self._memo: dict[tuple[Any, ...], Any] = {}
        self._memo_lock = threading.Lock()

    def _memoised(self, key: tuple[Any, ...], make: Any) -> Any:
        hit = self._memo.get(key)
        if hit is None:
            hit = make()
            with self._memo_lock:
                if len(self._memo) > 64:  # a handful of levels and dates in use at a time
                    self._memo.clear()
                self._memo[key] = hit
        return hit

    def level_facts(self, level: str | None) -> LevelFacts:
        """Experience of every row for projects at ``level`` (memoised)."""
        def make() -> LevelFacts:
            done = [experience(r["projects"], r["awards"], r["level"], level=level) for r in self.rows]
            return LevelFacts(np.fromiter((e for e, _ in done), dtype=np.float64, count=len(done)), [rs for _, rs in done])
        return self._memoised(("level", level), make)

    def day_facts(self, as_of: date, max_age: int) -> DayFacts:
        """Current unit, province, credit and age limit of every row on ``as_of`` (memoised)."""
        def make() -> DayFacts:
            iso = as_of.isoformat()
            units = [_current_unit(r, iso) for r in self.rows]
            points = [credit_points(r["violations"], r["awards"], as_of)["points"] for r in self.rows]
            ages = [_age(r.get("birth_date"), r["person_id"], as_of) or -1 for r in self.rows]
            return DayFacts(units=units, provinces=[norm_province(u["province"]) for u in units], points=points,
                            credit=np.fromiter((credit_score(p) for p in points), dtype=np.float64, count=len(points)),
                            too_old=np.fromiter((a > max_age for a in ages), dtype=bool, count=len(ages)))
        return self._memoised(("day", as_of, max_age), make)

    def per_row(self, values: dict[str, float], transform: Any = None) -> np.ndarray:
        """A per-person score dict as a per-row array (0 where absent), optionally transformed."""
        out = np.zeros(len(self.rows))
        for pid, v in values.items():
            for i in self.rows_of.get(pid, ()):
                out[i] = transform(v) if transform else v
        return out

    def nearest(self, vec: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Top ``k`` experts by cosine as the vector index scores them, (1 + cos) / 2; exact."""
        if self.emb is None or vec.shape[-1] != self.emb.shape[1]:
            return []
        q = vec.astype(np.float32)
        n = float(np.linalg.norm(q))
        if n == 0:
            return []
        cos = self.emb @ (q / n)
        k = min(k, len(cos))
        top = np.argpartition(-cos, k - 1)[:k] if k < len(cos) else np.arange(len(cos))
        top = top[np.argsort(-cos[top], kind="stable")]
        return [(self.emb_pids[i], (1.0 + float(cos[i])) / 2.0) for i in top]


def _current_unit(r: dict[str, Any], iso: str) -> dict[str, Any]:
    def head(links: list[dict[str, Any]]) -> dict[str, Any]:
        live = [x for x in links if x["start"] and x["start"] <= iso and (x["end"] is None or x["end"] >= iso)]
        return max(live, key=lambda x: x["start"]) if live else {}

    cur, reg = head(r["employments"]), head(r["registrations"])
    return {"province": cur.get("province") or reg.get("province"), "unit_name": cur.get("name") or reg.get("name"),
            "unit_id": cur.get("unit_id") or reg.get("unit_id")}


def load_index(driver: Driver, settings: Settings) -> ExpertIndex:
    """A fresh ExpertIndex from the graph."""
    t = time.perf_counter()
    idx = ExpertIndex(read(driver, settings, CYPHER.load("snapshot"), shallow=True))
    log.info("expert index: %d experts, %d vectors, %.1f s", len(idx.rows), len(idx.emb_pids), time.perf_counter() - t)
    return idx


class ExpertIndexCache:
    """The ExpertIndex of a long-lived process (the web app): loaded once, then reloaded in the
    background when the graph version moves on (graph.version) or the index is older than ``ttl_s``;
    requests keep using the previous one meanwhile."""

    def __init__(self, ttl_s: float = 300.0) -> None:
        self.ttl_s = ttl_s
        self._index: ExpertIndex | None = None
        self._lock = threading.Lock()
        self._refreshing = False

    @property
    def version(self) -> str | None:
        """The graph version the held index was read at (None: none held, or no version given)."""
        idx = self._index
        return idx.version if idx is not None else None

    def get(self, driver: Driver, settings: Settings, version: str | None = None) -> ExpertIndex:
        """The index; ``version`` is the graph's current version (read before, so never too new)."""
        idx = self._index
        if idx is None:
            with self._lock:
                if self._index is None:
                    self._index = load_index(driver, settings)
                    self._index.version = version
                return self._index
        if (version is not None and idx.version != version) or time.monotonic() - idx.loaded_at > self.ttl_s:
            self.refresh_in_background(driver, settings, version)
        return idx

    def refresh_in_background(self, driver: Driver, settings: Settings, version: str | None = None) -> None:
        with self._lock:
            if self._refreshing:
                return
            self._refreshing = True
        threading.Thread(target=self._refresh, args=(driver, settings, version), name="expert-index", daemon=True).start()

    def _refresh(self, driver: Driver, settings: Settings, version: str | None) -> None:
        try:
            idx = load_index(driver, settings)
            idx.version = version
            with self._lock:
                self._index = idx
        except Exception as exc:  # noqa: BLE001 - keep serving the previous index
            log.warning("expert index not refreshed: %s", exc)
        finally:
            self._refreshing = False


_qvec: OrderedDict[tuple[str, int, str], np.ndarray] = OrderedDict()
_qvec_lock = threading.Lock()
# Runs a request's full-text query beside its tag sums and query encoding (text_components).
_IO_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="experts-io")


def query_vector(embedder: Embedder, text: str) -> np.ndarray:
    """The embedding of a query text, from an LRU cache (encoding dominates search time)."""
    key = (embedder.name, embedder.dim, text)
    with _qvec_lock:
        vec = _qvec.get(key)
        if vec is not None:
            _qvec.move_to_end(key)
            return vec
    vec = embedder.embed([text])[0]
    with _qvec_lock:
        _qvec[key] = vec
        while len(_qvec) > QUERY_VECTOR_CACHE:
            _qvec.popitem(last=False)
    return vec


def clear_query_vectors() -> None:
    """Empty the query-vector cache (benchmarks: time the encoding too)."""
    with _qvec_lock:
        _qvec.clear()


def text_components(driver: Driver, settings: Settings, text: str, tags: dict[str, float], embedder: Embedder | None,
                    index: ExpertIndex) -> Components:
    """Tag, full-text and vector relevance of experts for ``text``."""
    c = Components(request_tags=tags)
    q = lucene_query(text)
    # The full-text query waits on Neo4j while the tags are summed and a new query is encoded
    # (torch releases the GIL): it runs beside them.
    pending = _IO_POOL.submit(_fulltext, driver, settings, index, q) if q else None
    for tag_id, factor in tags.items():
        for pid, weight, label in index.tag_index.get(tag_id, ()):
            c.tag_sum[pid] = c.tag_sum.get(pid, 0.0) + factor * weight
            c.tag_hits.setdefault(pid, []).append((label, weight))
    if embedder is not None:
        hits_v = index.nearest(query_vector(embedder, text), settings.experts.vector_k)
        if hits_v:
            lo, hi = min(sc for _, sc in hits_v), max(sc for _, sc in hits_v)
            for pid, sc in hits_v:
                c.cosine[pid] = 2 * sc - 1
                c.embedding[pid] = (sc - lo) / (hi - lo) if hi > lo else 1.0
    if pending is not None:
        hits = pending.result()
        best = max((h["score"] for h in hits), default=0.0)
        if best > 0:
            c.fulltext = {h["person_id"]: h["score"] / best for h in hits}
    return c


def _fulltext(driver: Driver, settings: Settings, index: ExpertIndex, q: str) -> list[dict[str, Any]]:
    limit = settings.experts.fulltext_limit
    rows: list[dict[str, Any]] | None = None
    if index.fulltext_index == "expert_text":
        try:
            rows = read(driver, settings, CYPHER.load("expert_text"), shallow=True, q=q, limit=limit)
        except ClientError as exc:
            if "expert_text" not in str(exc):
                raise
            index.fulltext_index = "person_text"  # not created yet (graph never tagged by this version)
    if rows is None:
        rows = read(driver, settings, CYPHER.load("fulltext"), shallow=True, q=q, limit=limit)
    if not rows:
        return []
    return [{"person_id": pid, "score": sc} for pid, sc in zip(rows[0]["ids"], rows[0]["scores"], strict=True)]


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
        out.append(f"存在未结案的高风险预警：{a['rule']}（{a['alert_id']}）")
    age = _age(c.get("birth_date"), c["person_id"], as_of)
    if age is not None and age > settings.experts.max_age:
        out.append(f"年龄{age}岁，超过{settings.experts.max_age}周岁")
    return out


def live_conflicts(driver: Driver, settings: Settings, as_of: date, units: list[str]) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """Live conflict facts by expert_id ({unit_links, violations, alerts, status?}) and the ids of
    the experts that are 在库 now."""
    ex = settings.experts
    rows = read(driver, settings, CYPHER.load("conflicts"), shallow=True, as_of=as_of, since=years_before(as_of, ex.avoid_years),
                vsince=years_before(as_of, ex.violation_years), units=units, counting=list(COUNTING))
    out: dict[str, dict[str, Any]] = {}
    pool: set[str] = set()
    for r in rows:
        if r["what"] == "pool":
            pool.update(r["item"]["ids"])
            continue
        c = out.setdefault(r["expert_id"], {"unit_links": [], "violations": [], "alerts": []})
        if r["what"] == "link":
            c["unit_links"].append(r["item"])
        elif r["what"] == "violation":
            c["violations"].append(r["item"])
        elif r["what"] == "alert":
            c["alerts"].append(r["item"])
        else:
            c["status"] = r["item"]["status"]
    return out, pool


def years_before(d: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for 29 February)."""
    if d.year - years < date.min.year:  # an as_of in the first years of the calendar: nothing is older
        return date.min
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


@dataclass
class Ranking:
    """Every expert row's relevance to one request: ``score`` and its six ``parts`` (PARTS order)."""

    score: np.ndarray
    parts: tuple[np.ndarray, ...]
    comp: Components
    lvl: LevelFacts
    day: DayFacts

    def reasons(self, idx: ExpertIndex, i: int) -> list[str]:
        """Why row ``i`` ranks where it does (tags, text, experience, level, credit, province)."""
        c = {**idx.rows[i], **self.day.units[i]}
        named = {name: float(part[i]) for name, part in zip(PARTS, self.parts, strict=True)}
        return _reasons(self.comp, c["person_id"], named, self.lvl.reasons[i], self.day.points[i], c)


def rank(driver: Driver, settings: Settings, idx: ExpertIndex, text: str, *, plan_type: str | None = None,
         level: str | None = None, province: str | None = None, as_of: date, embedder: Embedder | None = None) -> Ranking:
    """The relevance of every expert of ``idx`` to a request (conflicts of interest not applied)."""
    ex = settings.experts
    comp = text_components(driver, settings, text, request_tags(text, plan_type, level), embedder, idx)
    lvl, day = idx.level_facts(level), idx.day_facts(as_of, ex.max_age)
    # Six parts per row, summed in this order (the same floats as one expert at a time).
    parts = (idx.per_row(comp.tag_sum, _tag_score), idx.per_row(comp.fulltext), idx.per_row(comp.embedding), lvl.exp,
             day.credit, day.in_province(norm_province(province)))
    score = (ex.w_tag * parts[0] + ex.w_fulltext * parts[1] + ex.w_embedding * parts[2] + ex.w_experience * parts[3]
             + ex.w_credit * parts[4] + ex.w_province * parts[5])
    return Ranking(score, parts, comp, lvl, day)


def recommend(driver: Driver, settings: Settings, request: RecommendRequest, embedder: Embedder | None = None,
              index: ExpertIndex | None = None) -> dict[str, Any]:
    """A ranked review panel {experts, excluded} with reasons; conflicts of interest never recommended.

    ``index``: a (cached) ExpertIndex for ranking; a fresh one is read when omitted. Conflicts of
    interest are always read live.
    """
    idx = index or load_index(driver, settings)
    as_of = request.as_of or settings.today()
    ex = settings.experts
    ranking = rank(driver, settings, idx, request.text, plan_type=request.plan_type, level=request.level,
                   province=request.province, as_of=as_of, embedder=embedder)
    score, day = ranking.score, ranking.day
    live, pool = live_conflicts(driver, settings, as_of, request.exclude_unit_ids)
    lexical = ranking.comp.lexical_ids()
    blocked: set[int] = set()
    excluded: list[tuple[bool, float, dict[str, str]]] = []
    suspects = {idx.row_of_expert[eid] for eid in live if eid in idx.row_of_expert}
    suspects.update(i for i, r in enumerate(idx.rows) if r["expert_id"] not in pool)
    suspects.update(np.flatnonzero(day.too_old).tolist())
    for i in sorted(suspects):
        r = idx.rows[i]
        eid = r["expert_id"]
        facts = live.get(eid) or {"unit_links": [], "violations": [], "alerts": []}
        c = {**r, **day.units[i], **facts, "status": IN_POOL if eid in pool else facts.get("status")}
        conflicts = conflict_reasons(c, settings, as_of)
        if conflicts:
            blocked.add(i)
            relevant = r["person_id"] in lexical or bool(c["unit_links"])
            if c["status"] == IN_POOL or relevant:
                excluded.append((relevant, float(score[i]), {"expert_id": eid, "reason": "；".join(conflicts)}))
    order = [int(i) for i in np.lexsort((idx.eid_rank, -score)) if int(i) not in blocked]
    chosen = _spread(order, request.k, day.provinces) if request.spread_provinces else order[: request.k]
    excluded.sort(key=lambda x: (not x[0], -x[1], x[2]["expert_id"]))
    out = []
    for i in chosen:
        r = idx.rows[i]
        out.append({"expert_id": r["expert_id"], "person_id": r["person_id"], "name": r["name"], "score": round(float(score[i]), 4),
                    "reasons": ranking.reasons(idx, i)})
    return {"experts": out, "excluded": [e for _, _, e in excluded[: ex.max_excluded]]}


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


def _spread(order: list[int], k: int, provinces: list[str | None]) -> list[int]:
    """The first ``k`` rows of ``order`` with at most ceil(k/3) per (normalised) province; an
    unknown province counts as one province."""
    cap = math.ceil(k / 3)
    per: dict[str | None, int] = {}
    out = []
    for i in order:
        prov = provinces[i]
        if per.get(prov, 0) >= cap:
            continue
        per[prov] = per.get(prov, 0) + 1
        out.append(i)
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
    index: ExpertIndex | None = None,
) -> dict[str, Any]:
    """Experts matching a tag, keyword or free text (hybrid), filtered; {data, count}.

    With text, an expert is a hit when a request tag or the full-text index matches, or (with an
    embedder) when the profile's cosine similarity reaches ``experts.search_min_cosine``.
    Without text, every expert passing the filters, national experts first.
    ``index``: a (cached) ExpertIndex; a fresh one is read when omitted.
    """
    idx = index or load_index(driver, settings)
    ex = settings.experts
    page, page_size = max(1, page), max(1, min(page_size, 200))
    q = (q or "").strip()
    comp = Components()
    hits: set[str] | None = None
    if q:
        comp = text_components(driver, settings, q, request_tags(q), embedder, idx)
        hits = comp.lexical_ids() | {p for p, cos in comp.cosine.items() if cos >= ex.search_min_cosine}
        if not hits:
            return {"data": [], "count": 0}
    field_tags: set[str] | None = None
    if field:
        tid = load_taxonomy().resolve(field) or next((m.tag_id for m in get_matcher().match(field)), None)
        field_tags = {tid, *load_taxonomy().children(tid)} if tid else set()
    want = norm_province(province)
    day = idx.day_facts(settings.today(), ex.max_age)
    candidates = range(len(idx.rows)) if hits is None else sorted(i for p in hits for i in idx.rows_of.get(p, ()))
    tag_sum, fulltext, embedding = comp.tag_sum, comp.fulltext, comp.embedding
    w_tag, w_ft, w_emb, rows, provinces = ex.w_tag, ex.w_fulltext, ex.w_embedding, idx.rows, day.provinces
    # Sort keys for every hit; the response rows are built for the requested page only.
    keys = []
    for i in candidates:
        r = rows[i]
        pid = r["person_id"]
        if level and r["level"] != level:
            continue
        if field and not (any(field in f for f in (r["fields"] or [])) or (field_tags and idx.tags_of.get(pid, set()) & field_tags)):
            continue
        if want and provinces[i] != want:
            continue
        score = round(w_tag * _tag_score(tag_sum.get(pid, 0.0)) + w_ft * fulltext.get(pid, 0.0) + w_emb * embedding.get(pid, 0.0), 4)
        keys.append((-score, LEVEL_RANK.get(r["level"], 9), r["status"] != IN_POOL, r["expert_id"], i))
    keys.sort()
    start = (page - 1) * page_size
    data = []
    for neg_score, _, _, _, i in keys[start : start + page_size]:
        r = idx.rows[i]
        pid = r["person_id"]
        matched = [f"标签匹配：{lb}(权重{w:.1f})" for lb, w in sorted(comp.tag_hits.get(pid, []), key=lambda x: -x[1])[:3]]
        if fulltext.get(pid, 0) > 0:
            matched.append(f"全文匹配：相关度{fulltext[pid]:.2f}")
        if pid in comp.cosine:
            matched.append(f"语义相似：{comp.cosine[pid]:.2f}")
        data.append({"expert_id": r["expert_id"], "person_id": pid, "name": r["name"], "level": r["level"],
                     "status": r["status"], "fields": r["fields"], **day.units[i], "score": -neg_score, "matched": matched,
                     "tags": [{"tag_id": t["tag_id"], "label": t["label"], "weight": t["weight"]} for t in idx.top_tags.get(pid, [])[:5]]})
    return {"data": data, "count": len(keys)}
