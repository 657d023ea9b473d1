"""Portraits: masking, timelines, projects, tags with evidence, alerts, credit, collaborators."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

from neo4j import Driver

from graph.settings import Settings
from tagging.portrait import get_portrait
from tagging.tagger import run_tagging
from tests.expert_world import AS_OF, expert_world, ids

X = ids()


def test_portrait(db: Driver, settings: Settings, cli_env: dict[str, str], tmp_path: Path) -> None:
    expert_world().load(db, settings, tmp_path)
    run_tagging(db, settings, as_of=AS_OF)
    assert get_portrait(db, settings, "330106000000000000") is None
    p = get_portrait(db, settings, X["X01"], as_of=AS_OF)
    assert p is not None and p["masked"] and p["person_id"] == X["X01"][:6] + "********" + X["X01"][-4:]
    assert p["identity"]["phone"].count("*") == 4
    assert p["projects"]["count"] == 3 and p["projects"]["by_role"] == {"项目负责人": 3}
    assert p["projects"]["by_level"] == {"省级": 1, "市级": 2}
    assert p["registrations"][0]["active"] and p["employments"][0]["current"]
    assert p["current_units"][0]["province"] == "浙江省"
    assert p["expert"]["in_pool"] and p["awards"][0]["award_id"] == "AW1"
    village = next(t for t in p["tags"] if t["tag_id"] == "village_plan")
    assert village["weight"] > 3 and village["evidence"][0]["source"] in {"project", "expert_field", "bio"}
    assert p["credit"]["points"] == 105  # base 100 + national award (2024) 5
    assert p["collaborators"][0]["shared_projects"] == 1
    full = get_portrait(db, settings, X["X01"], unmask=True, as_of=AS_OF)
    assert full is not None and full["person_id"] == X["X01"] and full["collaborators"][0]["person_id"] == X["X06"]
    # V07 (一般, 2024-01-10, 5 points) counts for its one-year repair period only
    v = get_portrait(db, settings, X["X07"], as_of=date(2024, 6, 30))
    assert v is not None and v["credit"]["points"] == 95 and v["violations"][0]["violation_id"] == "V07"
    later = get_portrait(db, settings, X["X07"], as_of=AS_OF)
    assert later is not None and later["credit"]["points"] == 100
    a = get_portrait(db, settings, X["X08"], as_of=AS_OF)
    assert a is not None and a["alerts"][0]["rule"] == "CL1" and a["alerts"][0]["severity"] == "high"
    out = subprocess.run(["plantalent", "portrait", X["X01"], "--json", "--unmask"], env=cli_env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["identity"]["name"] == "张村规"
    audit = db.execute_query("MATCH (e:AuditEvent {action: 'view_portrait'}) RETURN e.target AS t", database_=settings.neo4j_database).records
    assert audit and audit[0]["t"] == X["X01"]
    out = subprocess.run(["plantalent", "portrait", "330106000000000000"], env=cli_env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 1
