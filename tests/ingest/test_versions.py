"""A record whose values change keeps its previous values as a version: the load, time, file and line
that brought them, and the load that replaced them (DESIGN.md "Data lifecycle")."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from graph.settings import Settings
from ingest.loader import load_folder
from tests.ingest.conftest import P1, P2, U1, graph_checksum, wipe, world, write_folder

# One non-key change per file (key columns are what identify a record; they stay).
CHANGES = {
    "units": (0, "legal_rep", "李四"),
    "persons": (0, "title", "正高级工程师"),
    "registrations": (0, "valid_to", "2024-01-01"),
    "employments": (0, "position", "副所长"),
    "social_insurance": (0, "end_month", "2024-06"),
    "experts": (0, "status", "暂停"),
    "projects": (0, "status", "已归档"),
    "project_members": (0, "unit_id", U1),
    "applications": (0, "result", "不批准"),
    "application_staff": (1, "role", "注册规划师"),
    "awards": (0, "level", "二等奖"),
    "violations": (0, "points", "5"),
}


def _versions(db: Driver, settings: Settings) -> dict[str, dict]:
    rows = db.execute_query("MATCH (owner)-[:HAS_VERSION]->(v:Version) RETURN v.record_kind AS kind, properties(v) AS v",
                            database_=settings.neo4j_database).records
    return {r["kind"]: r["v"] for r in rows}


def test_every_kind_of_record_keeps_its_old_values(db: Driver, settings: Settings, tmp_path: Path) -> None:
    wipe(db, settings)
    data = world()
    data["project_members"][0]["unit_id"] = ""  # so that setting it is a change
    first = load_folder(db, settings, write_folder(tmp_path / "a", data))
    assert _versions(db, settings) == {}
    for name, (i, column, value) in CHANGES.items():
        data[name][i][column] = value
    second = load_folder(db, settings, write_folder(tmp_path / "b", data))
    assert second.loaded == len(CHANGES) and second.unchanged == second.rows - len(CHANGES)
    versions = _versions(db, settings)
    assert set(versions) == set(CHANGES)
    for kind, v in versions.items():
        assert v["load_id"] == first.load_id and v["replaced_by"] == second.load_id, kind
        assert v["src_file"] == f"{kind}.csv" and v["src_line"] >= 2 and v["row_hash"], kind
        assert v["loaded_at"] is not None and v["replaced_at"] > v["loaded_at"], kind
    assert versions["units"]["legal_rep"] == "王强" and versions["units"]["unit_id"] == U1
    assert versions["persons"]["title"] == "高级工程师" and versions["persons"]["person_id"] == P1
    assert "embedding" not in versions["persons"]
    assert versions["registrations"].get("valid_to") is None and versions["registrations"]["cert_no"] == "REG-001"
    assert versions["employments"]["position"] == "所长"
    assert versions["experts"]["status"] == "在库"
    assert versions["violations"]["points"] == 3
    # Relationship records keep their key on the version, which hangs from the person.
    assert versions["project_members"]["project_id"] == "J001" and versions["project_members"].get("unit_id") is None
    assert versions["application_staff"]["application_id"] == "A001"
    assert versions["application_staff"]["person_id"] == P2 and versions["application_staff"]["role"] == "技术人员"
    owner = db.execute_query("MATCH (p:Person)-[:HAS_VERSION]->(v:Version {record_kind: 'project_members'}) "
                             "RETURN p.person_id AS p", database_=settings.neo4j_database).records
    assert [r["p"] for r in owner] == [P1]
    # The same folder again changes nothing, versions included.
    before = graph_checksum(db, settings)
    load_folder(db, settings, write_folder(tmp_path / "c", data))
    assert graph_checksum(db, settings) == before


def test_a_value_changed_twice_keeps_both_earlier_values(db: Driver, settings: Settings, tmp_path: Path) -> None:
    wipe(db, settings)
    data = {"units": world()["units"]}
    load_folder(db, settings, write_folder(tmp_path / "a", data))
    for i, rep in enumerate(("李四", "王五")):
        data["units"][0]["legal_rep"] = rep
        load_folder(db, settings, write_folder(tmp_path / f"b{i}", data))
    rows = db.execute_query("MATCH (:Unit {unit_id: $u})-[:HAS_VERSION]->(v) RETURN v.legal_rep AS rep "
                            "ORDER BY v.replaced_at", u=U1, database_=settings.neo4j_database).records
    assert [r["rep"] for r in rows] == ["王强", "李四"]
