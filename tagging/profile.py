"""A person's tagging input: facts read from the graph, the profile text and its hash.

The profile text (stored as `Person.profile_text`, indexed by the `person_text` full-text index and
embedded into `Person.embedding`) is the bio, title/education, expert fields and project names.
The profile hash covers that text, the facts that drive structural tags, the taxonomy version and
the as-of year (recency weights), so `plantalent tag` recomputes a person only when one changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

TAGGER_VERSION = "1"
MAX_PROJECTS_IN_TEXT = 30


@dataclass
class PersonFacts:
    """What tagging reads about one person (rows of queries/tagging/person_facts.cypher)."""

    person_id: str
    name: str | None = None
    title: str | None = None
    education: str | None = None
    school: str | None = None
    major: str | None = None
    bio: str | None = None
    profile_hash: str | None = None
    embedding_hash: str | None = None
    projects: list[dict[str, Any]] = field(default_factory=list)
    experts: list[dict[str, Any]] = field(default_factory=list)
    registrations: list[dict[str, Any]] = field(default_factory=list)
    awards: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> PersonFacts:
        facts = cls(**{k: row.get(k) for k in cls.__dataclass_fields__ if k in row})  # type: ignore[arg-type]
        # Stable order so the hash does not depend on the graph's return order.
        facts.projects = sorted(row.get("projects") or [], key=lambda p: (p.get("start_date") or "", p["project_id"], p.get("role") or ""))
        facts.experts = sorted(row.get("experts") or [], key=lambda e: e["expert_id"])
        facts.registrations = sorted(row.get("registrations") or [], key=lambda r: (r.get("valid_from") or "", r.get("cert_no") or ""))
        facts.awards = sorted(row.get("awards") or [], key=lambda a: a["award_id"])
        return facts


def registration_active(reg: dict[str, Any], as_of: date) -> bool:
    """A registration is active on ``as_of`` when valid_from ≤ as_of ≤ valid_to (open end)."""
    start, end = reg.get("valid_from"), reg.get("valid_to")
    iso = as_of.isoformat()
    return (start is None or start <= iso) and (end is None or end >= iso)


def profile_text(f: PersonFacts) -> str:
    """The person's searchable text: identity line, bio, expert fields, project names."""
    parts: list[str] = []
    head = "，".join(x for x in (f.name, f.title, f.education, f"{f.school or ''}{f.major or ''}".strip()) if x)
    if head:
        parts.append(head + "。")
    if f.bio:
        parts.append(f.bio.strip())
    fields = [fd for e in f.experts for fd in (e.get("fields") or [])]
    if fields:
        parts.append("专家领域：" + "、".join(dict.fromkeys(fields)) + "。")
    projects = sorted(f.projects, key=lambda p: p.get("start_date") or "", reverse=True)[:MAX_PROJECTS_IN_TEXT]
    if projects:
        items = []
        for p in projects:
            meta = "".join(x for x in (p.get("level"), p.get("plan_type")) if x)
            role = p.get("role") or ""
            items.append(f"{p.get('name') or p['project_id']}（{meta}{'，' + role if role else ''}）")
        parts.append("项目：" + "；".join(items) + "。")
    return "\n".join(parts)


def profile_hash(f: PersonFacts, text: str, as_of: date, taxonomy_digest: str) -> str:
    """Hash of everything the person's tags depend on."""
    facts = {
        "v": TAGGER_VERSION,
        "taxonomy": taxonomy_digest,
        "year": as_of.year,
        "title": f.title,
        "education": f.education,
        "projects": [{k: p.get(k) for k in ("project_id", "description", "level", "plan_type", "start_date", "end_date", "role")} for p in f.projects],
        "experts": f.experts,
        "registrations": [[r.get("cert_no"), r.get("unit_id"), registration_active(r, as_of)] for r in f.registrations],
        "awards": f.awards,
    }
    blob = text + "\x00" + json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def embedding_hash(model: str, text: str) -> str:
    """Hash of (model, text): the embedding is recomputed only when one of them changes."""
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()
