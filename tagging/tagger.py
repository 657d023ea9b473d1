"""Evidence-backed tags: taxonomy matches in texts + structural tags from graph facts.

Weights (documented here, the one place they live):
- text evidence: bio 1.0 per mention (≤ 3 per tag), major 0.5, expert field 2.0;
  project name / plan type 1.0, description only 0.5 — times the role factor
  (项目负责人 2.0, 技术负责人 1.5, 主要编制人员 1.0, 参与人员 0.6) and recency
  (1 − 0.1 per year since the project ended, at least 0.4);
- a child tag passes half its weight to its parent (市级总规 -> 国土空间总体规划);
- structural tags: title/education/registration 1.0; project-level experience = Σ role × recency
  of the projects at that level; 项目负责人经历 = 1 per led project (技术负责人 0.7); awards 国家级 3,
  省级 2, other 1; expert pool 1.
Each tag keeps its ten strongest evidence items: {source, id, text, span, field, weight}.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from neo4j import Driver
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from graph.cypher import CypherFiles
from graph.db import batched, read
from graph.schema import ensure_vector_index
from graph.settings import Settings
from graph.version import bump
from tagging.embed import Embedder
from tagging.nlp import Taxonomy, TaxonomyMatcher, get_matcher, load_taxonomy
from tagging.profile import PersonFacts, embedding_hash, profile_hash, profile_text, registration_active

CYPHER = CypherFiles(__file__, "tagger")

ROLE_FACTOR = {"项目负责人": 2.0, "技术负责人": 1.5, "主要编制人员": 1.0, "参与人员": 0.6}
LEVEL_TAG = {"省级": "s_proj_province", "市级": "s_proj_city", "县级": "s_proj_county", "乡镇级": "s_proj_township"}
MASTER_BY_LEVEL = {"省级": "master_plan_province", "市级": "master_plan_city", "县级": "master_plan_county", "乡镇级": "master_plan_township"}
EXPERT_LEVEL_TAG = {"国家级": "s_expert_national", "省级": "s_expert_province", "市级": "s_expert_city"}
MAX_EVIDENCE = 10
FACTS_BATCH = 500


@dataclass
class TagScore:
    """A tag being built for one person."""

    tag_id: str
    weight: float = 0.0
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def add(self, w: float, ev: dict[str, Any]) -> None:
        self.weight += w
        self.evidence.append({**ev, "weight": round(w, 2)})


@dataclass
class TagReport:
    """What one `plantalent tag` run did."""

    persons: int = 0
    changed: int = 0
    tags_written: int = 0
    tag_seconds: float = 0.0
    embedded: int = 0
    embed_seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def role_factor(role: str | None) -> float:
    return ROLE_FACTOR.get(role or "", 0.8)


def recency_factor(p: dict[str, Any], as_of: date) -> float:
    """1 for a current project, −0.1 per year since it ended, at least 0.4."""
    end = p.get("end_date") or p.get("start_date")
    if not p.get("end_date") or not end:
        return 1.0
    years = max(0, as_of.year - int(end[:4]))
    return max(0.4, 1.0 - 0.1 * years)


def _is_master(plan_type: str | None) -> bool:
    # Only a master-plan project is a level-specific master plan (not a village plan naming 总体规划).
    return not plan_type or "总体规划" in plan_type or "国土空间规划" in plan_type


def is_full_senior(title: str) -> bool:
    return "正高" in title or "教授级" in title or (("研究员" in title or "教授" in title) and "副" not in title)


def is_senior(title: str) -> bool:
    return is_full_senior(title) or "高级" in title or "副教授" in title or "副研究员" in title


def compute_tags(f: PersonFacts, matcher: TaxonomyMatcher, as_of: date) -> list[dict[str, Any]]:
    """The person's tags as rows {tag_id, weight, evidence (JSON string)}."""
    tax = matcher.taxonomy
    tags: dict[str, TagScore] = {}

    def tag(tag_id: str) -> TagScore:
        return tags.setdefault(tag_id, TagScore(tag_id))

    # Free text: bio (capped per tag so one long bio cannot dominate) and major.
    per_tag: dict[str, int] = defaultdict(int)
    for m in matcher.match(f.bio or ""):
        per_tag[m.tag_id] += 1
        if per_tag[m.tag_id] <= 3:
            tag(m.tag_id).add(1.0, {"source": "bio", "id": f.person_id, "text": m.text, "span": [m.start, m.end]})
    for m in matcher.match(f.major or ""):
        tag(m.tag_id).add(0.5, {"source": "major", "id": f.person_id, "text": m.text, "span": [m.start, m.end]})
    for e in f.experts:
        for fd in e.get("fields") or []:
            for m in matcher.match(fd):
                tag(m.tag_id).add(2.0, {"source": "expert_field", "id": e["expert_id"], "text": fd, "span": [m.start, m.end]})

    # Projects via MEMBER_OF: one contribution per (project, tag), the strongest field wins.
    for p in f.projects:
        factor = role_factor(p.get("role")) * recency_factor(p, as_of)
        best: dict[str, tuple[float, dict[str, Any]]] = {}
        for fld, base in (("name", 1.0), ("plan_type", 1.0), ("description", 0.5)):
            for m in matcher.match(p.get(fld) or ""):
                tid = m.tag_id
                if tid == "master_plan" and p.get("level") in MASTER_BY_LEVEL and _is_master(p.get("plan_type")):
                    tid = MASTER_BY_LEVEL[p["level"]]  # 国土空间总体规划 + 市级 = 市级总规
                ev = {"source": "project", "id": p["project_id"], "field": fld, "text": m.text, "span": [m.start, m.end], "role": p.get("role")}
                if tid not in best or best[tid][0] < base:
                    best[tid] = (base, ev)
        for tid, (base, ev) in best.items():
            tag(tid).add(base * factor, ev)

    # A child passes half its weight to its ancestors.
    for tid in list(tags):
        child = tags[tid]
        for anc in tax.ancestors(tid):
            tag(anc).add(child.weight * 0.5, {"source": "child_tag", "id": tid, "text": tax.tags[tid].label, "span": None})

    _structural(f, as_of, tag)
    rows: list[dict[str, Any]] = []
    for t in tags.values():
        if t.weight <= 0:
            continue
        strongest = sorted(t.evidence, key=lambda e: -e["weight"])[:MAX_EVIDENCE]
        rows.append({"tag_id": t.tag_id, "weight": round(t.weight, 2), "evidence": json.dumps(strongest, ensure_ascii=False)})
    return sorted(rows, key=lambda r: (-r["weight"], r["tag_id"]))


def _structural(f: PersonFacts, as_of: date, tag: Any) -> None:
    title = f.title or ""
    if is_senior(title):
        tag("s_senior_title").add(1.0, {"source": "person", "id": f.person_id, "field": "title", "text": title, "span": None})
    if is_full_senior(title):
        tag("s_full_senior_title").add(1.0, {"source": "person", "id": f.person_id, "field": "title", "text": title, "span": None})
    if "博士" in (f.education or ""):
        tag("s_doctor").add(1.0, {"source": "person", "id": f.person_id, "field": "education", "text": f.education, "span": None})
    for r in f.registrations:
        if registration_active(r, as_of):
            tag("s_registered_planner").add(1.0, {"source": "registration", "id": r.get("cert_no"), "text": f"注册单位 {r.get('unit_id')}，{r.get('valid_from')} 起", "span": None})
            break
    for p in f.projects:
        w = role_factor(p.get("role")) * recency_factor(p, as_of)
        ev = {"source": "project", "id": p["project_id"], "text": p.get("name"), "role": p.get("role"), "span": None}
        if p.get("level") in LEVEL_TAG:
            tag(LEVEL_TAG[p["level"]]).add(w, ev)
        if p.get("role") in ("项目负责人", "技术负责人"):
            tag("s_project_leader").add(1.0 if p["role"] == "项目负责人" else 0.7, ev)
    for a in f.awards:
        level = a.get("level") or ""
        national = "国家" in level or "全国" in level
        w = 3.0 if national else 2.0 if "省" in level else 1.0
        ev = {"source": "award", "id": a["award_id"], "text": f"{a.get('name') or ''}{level}（{a.get('year')}）", "span": None}
        tag("s_award").add(w, ev)
        if national:
            tag("s_award_national").add(w, ev)
    for e in f.experts:
        if e.get("status") == "在库":
            ev = {"source": "expert", "id": e["expert_id"], "text": f"{e.get('level') or ''}专家（在库）", "span": None}
            tag("s_expert").add(1.0, ev)
            if e.get("level") in EXPERT_LEVEL_TAG:
                tag(EXPERT_LEVEL_TAG[e["level"]]).add(1.0, ev)


def tag_rows(taxonomy: Taxonomy) -> list[dict[str, Any]]:
    return [{"tag_id": t.id, "label": t.label, "label_en": t.label_en, "kind": t.kind, "parent": t.parent, "synonyms": list(t.synonyms)} for t in taxonomy.tags.values()]


def _progress(enabled: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), disable=not enabled, transient=False)


def run_tagging(
    driver: Driver,
    settings: Settings,
    *,
    as_of: date | None = None,
    force: bool = False,
    progress: bool = False,
    embedder: Embedder | None = None,
    matcher: TaxonomyMatcher | None = None,
    embed_scope: str = "all",
    person_ids: list[str] | None = None,
) -> TagReport:
    """Tag every person whose profile hash changed (all with ``force``), then embed changed texts.

    ``person_ids``: look at these persons only (a refresh after loads that changed only them)."""
    as_of = as_of or settings.today()
    matcher = matcher or get_matcher()
    tax = load_taxonomy()
    db = settings.neo4j_database
    report = TagReport()
    t0 = time.perf_counter()
    driver.execute_query(CYPHER.load("merge_tags"), rows=tag_rows(tax), database_=db)
    if person_ids is None:
        ids = [r["person_id"] for r in read(driver, settings, CYPHER.load("person_ids"))]
    else:
        ids = sorted(set(person_ids))
    report.persons = len(ids)
    now = datetime.now(UTC)
    with _progress(progress) as bar:
        task = bar.add_task("tagging persons", total=len(ids))
        for chunk in batched(ids, min(FACTS_BATCH, settings.batch_size)):
            rows = []
            for row in read(driver, settings, CYPHER.load("person_facts"), ids=chunk):
                f = PersonFacts.from_row(row)
                text = profile_text(f)
                h = profile_hash(f, text, as_of, tax.digest)
                if not force and h == f.profile_hash:
                    continue
                tags = compute_tags(f, matcher, as_of)
                rows.append({"person_id": f.person_id, "profile_text": text, "profile_hash": h, "tags": tags})
                report.tags_written += len(tags)
            if rows:
                driver.execute_query(CYPHER.load("write_tags"), rows=rows, now=now, database_=db)
            report.changed += len(rows)
            bar.advance(task, len(chunk))
    synced = sync_expert_text(driver, settings)
    if report.changed or synced:
        bump(driver, settings, "tagging")
    report.tag_seconds = time.perf_counter() - t0
    if embedder is not None:
        t1 = time.perf_counter()
        report.embedded = run_embeddings(driver, settings, embedder, progress=progress, force=force, scope=embed_scope)
        report.embed_seconds = time.perf_counter() - t1
    return report


def sync_expert_text(driver: Driver, settings: Settings) -> int:
    """Create the experts-only full-text index and copy each expert's profile text into it."""
    db = settings.neo4j_database
    driver.execute_query(CYPHER.load("expert_text_index"), database_=db)
    driver.execute_query(CYPHER.load("expert_text_await"), database_=db)
    rows = driver.execute_query(CYPHER.load("expert_text_sync"), database_=db).records
    return int(rows[0]["changed"]) if rows else 0


def run_embeddings(driver: Driver, settings: Settings, embedder: Embedder, *, progress: bool = False, force: bool = False,
                   batch: int = 64, scope: str = "all") -> int:
    """Embed each person's profile text whose (model, text) hash changed; return how many.

    ``scope="experts"`` embeds only experts' profiles — all that search and recommendation use —
    which at national scale is 1% of the persons (embedding every person takes about an hour on a
    2-core machine)."""
    ensure_vector_index(driver, settings, embedder.dim)
    todo = []
    query = CYPHER.load("expert_embedding_todo") if scope == "experts" else CYPHER.load("embedding_todo")
    for row in read(driver, settings, query):
        h = embedding_hash(embedder.name, row["profile_text"])
        if force or h != row["embedding_hash"]:
            todo.append((row["person_id"], row["profile_text"], h))
    with _progress(progress) as bar:
        task = bar.add_task("embedding profiles", total=len(todo))
        for chunk in batched(todo, batch):
            vecs = embedder.embed([t for _, t, _ in chunk])
            rows = [{"person_id": pid, "embedding": vecs[i].tolist(), "embedding_hash": h} for i, (pid, _, h) in enumerate(chunk)]
            driver.execute_query(CYPHER.load("write_embeddings"), rows=rows, database_=settings.neo4j_database)
            bar.advance(task, len(chunk))
    if todo:
        bump(driver, settings, "embeddings")
    return len(todo)
