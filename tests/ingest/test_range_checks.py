"""A bad number, date or text rejects its row with a reason, never the load (DESIGN.md "Data lifecycle"):
points 0–1000, years 1949–2100, every integer within 64 bits, dates 1900–2100, texts Neo4j can index.
A row Neo4j itself refuses (whatever the reason) is rejected alone; the rest of its batch loads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from graph.settings import Settings
from ingest.errors import read_report
from ingest.loader import load_folder
from ingest.schemas import Column
from ingest.stats import entity_counts
from ingest.validate import CellError, check_range
from tests.ingest.conftest import P3, WORLD_COUNTS, make_id, wipe, world, write_folder

PLANTALENT = str(Path(sys.executable).parent / "plantalent")


def _count(db: Driver, settings: Settings, query: str, **params: object) -> int:
    return int(db.execute_query(query, params, database_=settings.neo4j_database).records[0][0])


def test_out_of_range_points_reject_only_their_row(db: Driver, settings: Settings, cli_env: dict[str, str],
                                                   tmp_path: Path) -> None:
    """The reported case: points = 10000000000000000000 once aborted the whole load with exit 2 and lost
    the valid violations of that file."""
    wipe(db, settings)
    data = world()
    v = data["violations"][0]
    data["violations"] += [dict(v, violation_id="V-HUGE", points="10000000000000000000"),
                           dict(v, violation_id="V-NEG", points="-1"),
                           dict(v, violation_id="V-1001", points="1001"),
                           dict(v, violation_id="V-1000", points="1000")]
    folder = write_folder(tmp_path / "in", data)
    report = tmp_path / "errors.csv"
    done = subprocess.run([PLANTALENT, "ingest", str(folder), "--errors", str(report), "--json"], env=cli_env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 3, done.stderr
    errors = {(e.file, e.line, e.column, e.value): e.reason for e in read_report(report)}
    assert set(errors) == {("violations.csv", 4, "points", "10000000000000000000"),
                           ("violations.csv", 5, "points", "'-1"), ("violations.csv", 6, "points", "1001")}
    assert all("between 0 and 1000" in r for r in errors.values())
    # Every other row of every file is in the graph: the two world violations and V-1000 included.
    counts = entity_counts(db, settings)
    assert counts == dict(WORLD_COUNTS, violations=3)
    assert _count(db, settings, "MATCH (v:Violation {violation_id: 'V-1000'}) RETURN v.points") == 1000
    out = json.loads(done.stdout)
    assert out["per_file"]["violations"]["rows"] == 6 and out["per_file"]["violations"]["loaded"] == 3
    assert out["per_file"]["violations"]["rejected"] == 3


def test_years_integers_dates_and_long_texts(db: Driver, settings: Settings, tmp_path: Path) -> None:
    wipe(db, settings)
    data = world()
    w = data["awards"][0]
    data["awards"] += [dict(w, award_id="W-1948", year="1948"), dict(w, award_id="W-1949", year="1949"),
                       dict(w, award_id="W-2100", year="2100"), dict(w, award_id="W-2101", year="2101"),
                       dict(w, award_id="W-64", year=str(-(1 << 64)))]
    # An integer column without bounds of its own still takes only 64-bit values.
    with pytest.raises(CellError, match="64 bits"):
        check_range(Column("n", "n", "int"), 1 << 63, str(1 << 63))
    check_range(Column("n", "n", "int"), (1 << 63) - 1, "")
    p = dict(data["persons"][0], phone="", email="")
    data["persons"] += [dict(p, person_id=make_id(40), name="张" * 1001),  # an index takes no key this long
                        dict(p, person_id=make_id(41), bio="规划" * 5000),  # long free text is fine
                        dict(p, person_id=make_id(42), birth_date="")]
    e = data["employments"][0]
    data["employments"] += [dict(e, person_id=P3, start_date="0202-01-05"), dict(e, person_id=P3, start_date="1899-12-31")]
    report = tmp_path / "errors.csv"
    result = load_folder(db, settings, write_folder(tmp_path / "in", data), errors_path=report)
    got = {(e.file, e.line, e.column): e.reason for e in read_report(report)}
    assert set(got) == {("awards.csv", 3, "year"), ("awards.csv", 6, "year"), ("awards.csv", 7, "year"),
                        ("persons.csv", 6, "name"), ("employments.csv", 5, "start_date"),
                        ("employments.csv", 6, "start_date")}
    assert "between 1949 and 2100" in got[("awards.csv", 3, "year")]
    assert "between 1949 and 2100" in got[("awards.csv", 7, "year")]
    assert "1000 characters" in got[("persons.csv", 6, "name")]
    assert "1900-2100" in got[("employments.csv", 5, "start_date")]
    # The long value is cut in the report, not the reason.
    assert len(next(e.value for e in read_report(report) if e.column == "name")) <= 201
    assert result.exit_code == 3 and result.rejected == 6
    assert _count(db, settings, "MATCH (w:Award) RETURN count(w)") == 3
    assert _count(db, settings, "MATCH (p:Person) RETURN count(p)") == 6


def test_a_row_neo4j_refuses_is_rejected_alone(db: Driver, settings: Settings, tmp_path: Path) -> None:
    """Whatever the database refuses (here: a uniqueness constraint the data breaks) rejects that row with
    Neo4j's reason; the other rows of its batch and file load."""
    wipe(db, settings)
    database = settings.neo4j_database
    db.execute_query("CREATE CONSTRAINT test_unique_title IF NOT EXISTS FOR (n:Project) REQUIRE n.name IS UNIQUE",
                     database_=database)
    try:
        data = world()
        j = data["projects"][0]
        data["projects"] += [dict(j, project_id=f"J1{i:02d}", name=f"项目{i}") for i in range(20)]
        data["projects"].append(dict(j, project_id="J-SAME", name="项目7"))
        report = tmp_path / "errors.csv"
        result = load_folder(db, settings.model_copy(update={"batch_size": 8, "ingest_writers": 1}), write_folder(tmp_path / "in", data),
                             errors_path=report)
    finally:
        db.execute_query("DROP CONSTRAINT test_unique_title IF EXISTS", database_=database)
    errors = read_report(report)
    assert [(e.file, e.line, e.value) for e in errors] == [("projects.csv", 24, "J-SAME")]
    assert "Neo4j refused the row" in errors[0].reason and "ConstraintValidationFailed" in errors[0].reason
    assert result.exit_code == 3 and result.per_file["projects"].loaded == 22
    assert result.per_file["projects"].rejected == 1
    assert _count(db, settings, "MATCH (j:Project) RETURN count(j)") == 22
    assert entity_counts(db, settings)["project_members"] == WORLD_COUNTS["project_members"]
