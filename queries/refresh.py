"""The refresh after a load (DESIGN.md "Data lifecycle"): tag → detect → credit.

`plantalent refresh [--as-of DATE]` (for a scheduler) and every ingest job (queries/jobs.py) run these
stages in this order; each writes its own results and bumps the graph version, so a refresh that fails
leaves the graph as after its last completed stage.

Tagging and detection look again only at what changed where the data allow: each load records the
persons whose records it created, changed or retired (ingest.loader), and a stage that ran before as of
the same date (``:RefreshStamp``) looks at those persons only; after a load that changed units, projects,
applications or reorganizations, one that was interrupted, or too many persons, it looks at everyone —
but tagging, which reads only the projects of those kinds, looks at the changed projects' members.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.db import read
from graph.settings import Settings
from queries.alerts import store_alerts
from queries.credit import compute_credit
from queries.detect import RULES, UNIT_RULES, Alert, run_detection
from tagging.embed import Embedder
from tagging.tagger import run_tagging

CYPHER = CypherFiles(__file__, "refresh")
REFRESH_STAGES = ("tag", "detect", "credit")


@dataclass
class Context:
    """What the stages of one refresh share."""

    driver: Driver
    settings: Settings
    as_of: date
    embedder: Embedder | None = None


@dataclass
class Changes:
    """What the loads since a stage last ran changed: the persons (None: unknown or too many, so everyone)."""

    persons: set[str] | None
    loads: int
    why: str

    @property
    def everyone(self) -> bool:
        return self.persons is None


# Per stage, what it reads of the kinds that concern many persons (ingest.loader.BROAD): tagging reads a
# project's fields for each of its members and nothing of units, applications or reorganizations
# (tagging/tagger/person_facts.cypher), so a change to those concerns the changed projects' members only.
# Detection reads them all: a change to any of them makes it look at everyone.
FOLLOWED: dict[str, frozenset[str]] = {"tag": frozenset({"units", "applications", "reorganizations", "projects"})}


def changes_since(ctx: Context, stage: str) -> Changes:
    """The persons changed by the loads since ``stage`` last completed (graph/journal, ingest.loader).

    Everyone when the stage never ran or ran as of another date, when a load since is not ``done``
    (interrupted or failed: what it wrote is not recorded), kept no list of persons (too many) or
    changed a kind that concerns many persons (units, projects, applications, reorganizations) in a way
    the stage cannot follow (FOLLOWED: tagging follows changed projects to their members)."""
    stamp = read(ctx.driver, ctx.settings, CYPHER.load("stamp"), stage=stage)
    since, as_of = (stamp[0]["started_at"], stamp[0]["as_of"]) if stamp else (None, None)
    if since is None:
        return Changes(None, 0, f"{stage} has not run since the journal began")
    if _native(as_of) != ctx.as_of:
        return Changes(None, 0, f"{stage} last ran as of {_native(as_of)}, not {ctx.as_of}")
    loads = read(ctx.driver, ctx.settings, CYPHER.load("loads_since"), since=since)
    followed = FOLLOWED.get(stage, frozenset())
    persons: set[str] = set()
    projects: set[str] = set()
    for load in loads:
        if load["status"] != "done" or load["touched"] is None:
            return Changes(None, len(loads), f"load {load['load_id']} is {load['status']} or changed too much to list")
        broad = [kind for kind in load["broad"] if kind not in followed
                 or (kind == "projects" and load["projects"] is None)]
        if broad:
            return Changes(None, len(loads), f"load {load['load_id']} changed {', '.join(broad)}")
        persons.update(load["touched"])
        if "projects" in load["broad"]:
            projects.update(load["projects"])
    why = f"{len(loads)} loads changed {len(persons)} persons"
    if projects:
        rows = read(ctx.driver, ctx.settings, CYPHER.load("project_members"), project_ids=sorted(projects))
        members = set(rows[0]["person_ids"]) if rows else set()
        why += f" and {len(projects)} projects ({len(members - persons)} more persons: their members)"
        persons |= members
    return Changes(persons, len(loads), why)


def _stamp(ctx: Context, stage: str, started_at: datetime) -> None:
    ctx.driver.execute_query(CYPHER.load("set_stamp"), stage=stage, started_at=started_at, as_of=ctx.as_of,
                             database_=ctx.settings.neo4j_database)


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def tag(ctx: Context) -> dict[str, Any]:
    """Tag and embed the persons whose profile changed: only the persons the loads since the last tagging
    changed when they are known (tagging itself skips unchanged profiles by their hash)."""
    started = datetime.now(UTC)
    changes = changes_since(ctx, "tag")
    persons = None if changes.everyone else sorted(changes.persons or ())
    report = run_tagging(ctx.driver, ctx.settings, as_of=ctx.as_of, embedder=ctx.embedder, person_ids=persons)
    _stamp(ctx, "tag", started)
    return {**report.as_dict(), "scope": "all persons" if persons is None else "changed persons", "why": changes.why}


def detect(ctx: Context) -> dict[str, Any]:
    """Run the 13 rules and keep the alerts (closing those that no longer hold). When the loads since the
    last detection changed few persons (``settings.refresh_max_persons``, counting everyone named with them
    in an alert), only those persons are looked at again, plus the unit rules (LK2, QA1) in full."""
    started = datetime.now(UTC)
    changes = changes_since(ctx, "detect")
    persons: list[str] | None = None
    if not changes.everyone:
        changed = sorted(changes.persons or ())
        rows = read(ctx.driver, ctx.settings, CYPHER.load("co_persons"), person_ids=changed) if changed else []
        persons = sorted(set(changed) | set(rows[0]["person_ids"] if rows else []))
        if len(persons) > ctx.settings.refresh_max_persons:
            persons = None
    if persons is None:
        alerts = run_detection(ctx.driver, ctx.settings, ctx.as_of, list(RULES))
        stored = store_alerts(ctx.driver, ctx.settings, alerts, as_of=ctx.as_of, rules=RULES)
        scope = "all"
    else:
        person_rules = [r for r in RULES if r not in UNIT_RULES]
        found: dict[str, Alert] = {}
        for pid in persons:
            for a in run_detection(ctx.driver, ctx.settings, ctx.as_of, person_rules, person_id=pid):
                found.setdefault(a.alert_id, a)
        alerts = sorted(found.values(), key=lambda a: (RULES.index(a.rule), a.alert_id))
        stored = store_alerts(ctx.driver, ctx.settings, alerts, as_of=ctx.as_of, rules=person_rules,
                              person_ids=persons)
        units = run_detection(ctx.driver, ctx.settings, ctx.as_of, sorted(UNIT_RULES))
        unit_stored = store_alerts(ctx.driver, ctx.settings, units, as_of=ctx.as_of, rules=sorted(UNIT_RULES))
        stored = {k: stored.get(k, 0) + unit_stored.get(k, 0) for k in set(stored) | set(unit_stored)}
        alerts += units
        scope = f"{len(persons)} persons"
    _stamp(ctx, "detect", started)
    per_rule = Counter(a.rule for a in alerts)
    return {"alerts": len(alerts), "per_rule": {r: per_rule.get(r, 0) for r in RULES}, "scope": scope,
            "why": changes.why, **stored}


def credit(ctx: Context) -> dict[str, Any]:
    """Grade every unit and update the yellow list."""
    rows = compute_credit(ctx.driver, ctx.settings, ctx.as_of)
    grades = Counter(r["grade"] for r in rows)
    return {"units": len(rows), "grades": {g: grades.get(g, 0) for g in "ABCD"},
            "yellow_list": sum(1 for r in rows if r["yellow_list"] in ("entered", "on"))}


STAGES: dict[str, Callable[[Context], dict[str, Any]]] = {"tag": tag, "detect": detect, "credit": credit}


def run_stage(ctx: Context, stage: str) -> dict[str, Any]:
    """One stage, timed: its summary with ``seconds``."""
    began = time.monotonic()
    out = STAGES[stage](ctx)
    out["seconds"] = round(time.monotonic() - began, 3)
    return out
