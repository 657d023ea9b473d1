"""Round trip of every input file in every format, the graph shape, idempotency and namesakes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from neo4j import Driver

from graph.schema import missing_schema
from graph.settings import Settings
from ingest.loader import load_folder
from ingest.stats import entity_counts
from tests.ingest.conftest import (
    EXT_EMPLOYER,
    EXT_LEAD,
    EXT_PAYER,
    EXT_VIOLATOR,
    INJECTION,
    P1,
    P2,
    P3,
    U1,
    U2,
    U3,
    WORLD_COUNTS,
    graph_checksum,
    wipe,
    world,
)

FORMATS = {
    "utf8": "csv",
    "bom": "bom",
    "gbk": "gbk",
    "gb18030": "gb18030",
    "xlsx": "xlsx",
    # Every file in a different format in one folder.
    "mixed": {"units": "xlsx", "persons": "gbk", "registrations": "bom", "employments": "gb18030",
              "social_insurance": "xlsx", "experts": "bom", "projects": "gbk"},
}


def q(driver: Driver, settings: Settings, query: str, **params: object) -> list[dict[str, object]]:
    return [r.data() for r in driver.execute_query(query, params, database_=settings.neo4j_database).records]


@pytest.mark.parametrize(("fmt", "chinese"), [(f, False) for f in FORMATS] + [("gbk", True), ("mixed", True)],
                         ids=[f"{f}-en" for f in FORMATS] + ["gbk-zh", "mixed-zh"])
def test_round_trip(db: Driver, settings: Settings, world_dir, tmp_path: Path, fmt: str, chinese: bool) -> None:
    wipe(db, settings)
    folder = world_dir(fmt=FORMATS[fmt], chinese=chinese)
    report = load_folder(db, settings, folder, errors_path=tmp_path / "errors.csv")
    assert report.rejected == 0, report.errors
    assert report.exit_code == 0
    assert report.rows == report.loaded == sum(len(v) for v in world().values())
    assert entity_counts(db, settings) == WORLD_COUNTS
    assert (tmp_path / "errors.csv").read_text(encoding="utf-8").splitlines() == ["file,line,column,value,reason"]
    _check_shape(db, settings)


def _check_shape(db: Driver, settings: Settings) -> None:
    unit = q(db, settings, "MATCH (u:Unit {unit_id: $id}) RETURN u", id=U1)[0]["u"]
    assert unit["region"] == "华东" and unit["external"] is False and unit["grade"] == "甲级"
    assert unit["phone_norm"] == "13800001111" and unit["email_norm"] == "office@example.com"
    assert unit["cert_valid_until"].to_native() == date(2026, 12, 31)
    for key in ("src_file", "src_line", "load_id", "loaded_at", "row_hash"):
        assert unit[key] is not None
    assert unit["src_line"] == 2
    u2 = q(db, settings, "MATCH (u:Unit {unit_id: $id}) RETURN u", id=U2)[0]["u"]
    assert u2["name"] == INJECTION and u2["region"] == "华北" and u2.get("phone_norm") is None
    assert q(db, settings, "MATCH (:Unit {unit_id: $a})-[:OWNED_BY]->(p:Unit) RETURN p.unit_id AS p", a=U1) == [{"p": U3}]
    # External organisations: kept, with payer name/type when known.
    ext = {r["id"]: r for r in q(db, settings, "MATCH (o:Org) WHERE NOT o:Unit RETURN o.unit_id AS id, o.name AS name, "
                                              "o.external AS external, o.unit_type AS t")}
    assert set(ext) == {EXT_EMPLOYER, EXT_PAYER, EXT_LEAD, EXT_VIOLATOR}
    assert all(r["external"] is True for r in ext.values())
    assert ext[EXT_PAYER]["name"] == "某某咨询公司" and ext[EXT_PAYER]["t"] == "企业"
    # Persons: booleans, derived birth date, normalised contacts, verbatim injection text.
    persons = {r["p"]["person_id"]: r["p"] for r in q(db, settings, "MATCH (p:Person) RETURN p")}
    assert persons[P2]["bio"] == INJECTION
    assert persons[P2]["birth_date"].to_native() == date(1985, 5, 6)
    assert persons[P3]["birth_date"].to_native() == date(1950, 2, 3)  # from the ID number
    assert persons[P3]["retired"] is True and persons[P3].get("phone_norm") is None and persons[P3].get("email_norm") is None
    assert [p["name"] for p in persons.values()].count("张伟") == 2  # namesakes stay distinct
    # Records and their links.
    reg = q(db, settings, "MATCH (p:Person)-[:HAS_REGISTRATION]->(r:Registration)-[:AT]->(o:Org) "
                          "WHERE r.cert_no = 'REG-002' RETURN p.person_id AS p, r, o.unit_id AS o")[0]
    assert reg["p"] == P2 and reg["o"] == U2
    assert reg["r"]["valid_from"].to_native() == date(2019, 3, 1) and reg["r"]["valid_to"].to_native() == date(2022, 5, 1)
    ins = q(db, settings, "MATCH (:Person {person_id: $p})-[:HAS_INSURANCE]->(i)-[:AT]->(o) RETURN i, o.unit_id AS o", p=P2)[0]
    assert ins["o"] == EXT_PAYER
    assert ins["i"]["start_month"].to_native() == date(2020, 1, 1) and ins["i"]["end_month"].to_native() == date(2021, 6, 1)
    open_emp = q(db, settings, "MATCH (e:Employment {person_id: $p, unit_id: $u}) RETURN e.end_date AS end", p=P1, u=U1)
    assert open_emp == [{"end": None}]
    expert = q(db, settings, "MATCH (:Person {person_id: $p})-[:IS_EXPERT]->(e) RETURN e.fields AS f", p=P1)[0]
    assert expert["f"] == ["城乡规划", "国土空间规划", "GIS"]
    assert q(db, settings, "MATCH (:Project {project_id: 'J002'})-[:LED_BY]->(o) RETURN o.unit_id AS o") == [{"o": EXT_LEAD}]
    members = q(db, settings, "MATCH (p)-[m:MEMBER_OF]->(:Project {project_id: 'J001'}) "
                              "RETURN p.person_id AS p, m.role AS role, m.unit_id AS u, m.src_line AS line ORDER BY line")
    assert members == [{"p": P1, "role": "项目负责人", "u": U1, "line": 2}, {"p": P2, "role": "参与人员", "u": U2, "line": 3}]
    assert q(db, settings, "MATCH (a:Application)-[:BY]->(o) RETURN o.unit_id AS o") == [{"o": U1}]
    assert q(db, settings, "MATCH (:Application)-[d:DECLARES]->(p) RETURN d.role AS r ORDER BY r") == [
        {"r": "技术人员"}, {"r": "技术负责人"}]
    award = q(db, settings, "MATCH (w:Award) OPTIONAL MATCH (w)-[:TO_PERSON]->(p) "
                            "RETURN w.year AS y, w.person_ids AS ids, count(p) AS n, "
                            "[(w)-[:FOR_PROJECT]->(j) | j.project_id] AS j, [(w)-[:TO_UNIT]->(u) | u.unit_id] AS u")[0]
    assert award == {"y": 2021, "ids": [P1, P2], "n": 2, "j": ["J001"], "u": [U1]}
    against = q(db, settings, "MATCH (v:Violation)-[:AGAINST]->(s) RETURN v.violation_id AS v, "
                              "coalesce(s.person_id, s.unit_id) AS s, v.points AS pts ORDER BY v")
    assert against == [{"v": "V001", "s": P3, "pts": 3}, {"v": "V002", "s": EXT_VIOLATOR, "pts": None}]
    reorg = q(db, settings, "MATCH (a)<-[:FROM]-(r:Reorganization)-[:TO]->(b) RETURN a.unit_id AS a, b.unit_id AS b, r.kind AS k")
    assert reorg == [{"a": U2, "b": U1, "k": "合并"}]
    # Provenance on relationships too.
    rel = q(db, settings, "MATCH ()-[r:HAS_REGISTRATION]->() RETURN properties(r) AS r LIMIT 1")[0]["r"]
    assert {"src_file", "src_line", "load_id", "loaded_at", "row_hash"} <= set(rel)


def test_second_load_changes_nothing(db: Driver, settings: Settings, world_dir) -> None:
    wipe(db, settings)
    folder = world_dir()
    first = load_folder(db, settings, folder)
    counts, checksum = entity_counts(db, settings), graph_checksum(db, settings)
    second = load_folder(db, settings, folder)
    assert first.exit_code == second.exit_code == 0
    assert entity_counts(db, settings) == counts
    # Every property including the provenance of the first load is unchanged.
    assert graph_checksum(db, settings) == checksum
    loads = q(db, settings, "MATCH (l:Load) RETURN l.load_id AS id, l.status AS s, l.rows AS rows ORDER BY id")
    assert [r["id"] for r in loads] == sorted([first.load_id, second.load_id])
    assert {r["s"] for r in loads} == {"done"} and {r["rows"] for r in loads} == {first.rows}


def test_external_org_becomes_unit_later(db: Driver, settings: Settings, world_dir) -> None:
    wipe(db, settings)
    data = world()
    load_folder(db, settings, world_dir(data))
    assert q(db, settings, "MATCH (o:Org {unit_id: $id}) RETURN o:Unit AS unit, o.external AS ext", id=EXT_PAYER) == [
        {"unit": False, "ext": True}]
    later = {"units": [dict(data["units"][2], unit_id=EXT_PAYER, name="某某咨询公司（正式）", unit_type="企业")]}
    report = load_folder(db, settings, world_dir(later))
    assert report.exit_code == 0
    row = q(db, settings, "MATCH (o:Org {unit_id: $id}) RETURN o:Unit AS unit, o.external AS ext, o.name AS name, "
                          "size([(o)<-[:AT]-(:Insurance) | 1]) AS ins", id=EXT_PAYER)
    assert row == [{"unit": True, "ext": False, "name": "某某咨询公司（正式）", "ins": 1}]
    assert entity_counts(db, settings)["organisations"] == 3


def test_changed_row_is_updated(db: Driver, settings: Settings, world_dir) -> None:
    wipe(db, settings)
    data = world()
    load_folder(db, settings, world_dir(data))
    data["registrations"][0]["person_id"] = P2  # the same certificate now held by someone else
    data["persons"][0]["title"] = "正高级工程师"
    load_folder(db, settings, world_dir(data))
    assert q(db, settings, "MATCH (p)-[:HAS_REGISTRATION]->(:Registration {cert_no: 'REG-001'}) RETURN p.person_id AS p") == [
        {"p": P2}]
    assert q(db, settings, "MATCH (p:Person {person_id: $p}) RETURN p.title AS t", p=P1) == [{"t": "正高级工程师"}]


def test_references_resolve_against_the_graph(db: Driver, settings: Settings, world_dir) -> None:
    wipe(db, settings)
    data = world()
    load_folder(db, settings, world_dir({"units": data["units"], "persons": data["persons"]}))
    rest = {k: v for k, v in data.items() if k not in ("units", "persons")}
    report = load_folder(db, settings, world_dir(rest))
    assert report.rejected == 0, report.errors
    assert entity_counts(db, settings) == WORLD_COUNTS


def test_bulk_load_defers_secondary_indexes(db: Driver, settings: Settings, world_dir) -> None:
    """Into an empty graph a big load builds the range/full-text indexes at the end: same graph, full schema."""
    folder = world_dir()
    skip = ("load_id", "loaded_at")
    wipe(db, settings)
    kept = load_folder(db, settings, folder)
    assert kept.index_seconds == 0
    expected = graph_checksum(db, settings, skip=skip)
    wipe(db, settings)
    deferred = load_folder(db, settings.model_copy(update={"ingest_defer_index_rows": 0}), folder)
    assert deferred.exit_code == 0 and deferred.index_seconds > 0
    assert missing_schema(db, settings) == set()
    assert graph_checksum(db, settings, skip=skip) == expected
    states = {r["state"] for r in db.execute_query("SHOW INDEXES YIELD state", database_=settings.neo4j_database).records}
    assert states == {"ONLINE"}
    # A graph with ingest nodes never loses its indexes: a second load keeps them (and changes nothing).
    again = load_folder(db, settings.model_copy(update={"ingest_defer_index_rows": 0}), folder)
    assert again.index_seconds == 0 and graph_checksum(db, settings, skip=skip) == expected
