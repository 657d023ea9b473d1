"""Schema creation is idempotent and complete."""

from __future__ import annotations

from neo4j import Driver

from graph.schema import ensure_vector_index, init_schema
from graph.settings import Settings


def _indexes(db: Driver) -> list[tuple[str, str]]:
    rows = db.execute_query("SHOW INDEXES YIELD name, type RETURN name, type ORDER BY name").records
    return [(r["name"], r["type"]) for r in rows]


def test_schema_twice_gives_same_indexes(db: Driver, settings: Settings) -> None:
    first = init_schema(db, settings)
    before = _indexes(db)
    second = init_schema(db, settings)
    assert first == second
    assert _indexes(db) == before


def test_schema_has_fulltext_cjk_vector_and_keys(db: Driver, settings: Settings) -> None:
    init_schema(db, settings)
    types = dict(_indexes(db))
    assert types["person_text"] == "FULLTEXT"
    assert types["project_text"] == "FULLTEXT"
    assert types["person_embedding"] == "VECTOR"
    cfg = db.execute_query(
        "SHOW FULLTEXT INDEXES YIELD name, options WHERE name = 'person_text' RETURN options.indexConfig['fulltext.analyzer'] AS a"
    ).records
    assert cfg[0]["a"] == "cjk"
    constraints = {r["name"] for r in db.execute_query("SHOW CONSTRAINTS YIELD name").records}
    assert {"person_key", "org_key", "alert_key", "registration_key"} <= constraints


def test_vector_index_follows_model_dimension(db: Driver, settings: Settings) -> None:
    init_schema(db, settings)
    ensure_vector_index(db, settings, 16)
    dim = db.execute_query(
        "SHOW VECTOR INDEXES YIELD name, options WHERE name='person_embedding' RETURN options.indexConfig['vector.dimensions'] AS d"
    ).records[0]["d"]
    assert dim == 16
    ensure_vector_index(db, settings, 384)
    dim = db.execute_query(
        "SHOW VECTOR INDEXES YIELD name, options WHERE name='person_embedding' RETURN options.indexConfig['vector.dimensions'] AS d"
    ).records[0]["d"]
    assert dim == 384


def test_cjk_fulltext_finds_chinese_words(db: Driver, settings: Settings) -> None:
    init_schema(db, settings)
    db.execute_query("CREATE (:Person {person_id: 'T1', name: '王建国', bio: '长期从事国土空间总体规划和村庄规划编制'})")
    db.execute_query("CALL db.awaitIndexes(60)")
    rows = db.execute_query(
        "CALL db.index.fulltext.queryNodes('person_text', $q) YIELD node RETURN node.person_id AS id", q="村庄规划"
    ).records
    assert [r["id"] for r in rows] == ["T1"]
