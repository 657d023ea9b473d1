"""`ingest DIR --snapshot` (DESIGN.md "Data lifecycle"): each file present is the complete current extract of
its kind; records of that kind an earlier load brought and the file no longer holds are retired — gone from
`stats`, rules, credit and portraits, kept in the graph as history (withdrawn: retired, when, by which load). Files absent are
left alone; a wholly bad file retires nothing; a snapshot retiring too much of a kind stops before writing."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from neo4j import Driver

from graph.settings import Settings
from ingest.loader import load_folder
from ingest.snapshot import MassRetire
from ingest.stats import entity_counts
from queries.credit import compute_credit
from queries.detect import run_detection
from tagging.portrait import get_portrait
from tests.ingest.conftest import (
    EXT_EMPLOYER,
    P1,
    P2,
    P3,
    P4,
    U1,
    U2,
    U3,
    WORLD_COUNTS,
    graph_checksum,
    make_id,
    wipe,
    world,
    write_folder,
)

PLANTALENT = str(Path(sys.executable).parent / "plantalent")


@pytest.fixture
def loose(settings: Settings) -> Settings:
    """Settings that let a snapshot of the small world retire any share of a kind."""
    return settings.model_copy(update={"snapshot_max_retire_share": 1.0})


def q(db: Driver, settings: Settings, query: str, **params: object) -> list[dict]:
    return [r.data() for r in db.execute_query(query, params, database_=settings.neo4j_database).records]


def base(tmp_path: Path, db: Driver, settings: Settings) -> dict[str, list[dict[str, str]]]:
    wipe(db, settings)
    data = world()
    # P1 also worked at U2 for two years while employed at U1: a CL2 (多处执业) case.
    data["employments"].append({"person_id": P1, "unit_id": U2, "start_date": "2020-01-01", "end_date": "2021-12-31",
                                "position": "兼职"})
    load_folder(db, settings, write_folder(tmp_path / "base", data))
    return data


def test_withdrawn_records_are_retired_and_stop_counting(db: Driver, loose: Settings, tmp_path: Path) -> None:
    data = base(tmp_path, db, loose)
    assert [a.rule for a in run_detection(db, loose, date(2024, 1, 1), ["CL2"], person_id=P1)] == ["CL2"]
    current = [e for e in data["employments"] if not (e["person_id"] == P1 and e["unit_id"] == U2)]
    current = [e for e in current if e["unit_id"] != EXT_EMPLOYER]
    report = load_folder(db, loose, write_folder(tmp_path / "snap", {"employments": current}), snapshot=True)
    assert report.mode == "snapshot" and report.exit_code == 0
    assert report.per_file["employments"].retired == 2 and report.per_file["employments"].unchanged == 2
    # Files absent from the snapshot are left alone; the withdrawn records no longer count.
    assert entity_counts(db, loose) == dict(WORLD_COUNTS, employments=2)
    assert run_detection(db, loose, date(2024, 1, 1), ["CL2"], person_id=P1) == []
    assert [e["unit_id"] for e in get_portrait(db, loose, P1, unmask=True)["employments"]] == [U1]  # type: ignore[index]
    # ... and stay as history: the record, when and by which load, and what it was linked to.
    retired = q(db, loose, "MATCH (p:Person)-[h:HAD]->(r:Withdrawn)-[a:WAS_AT]->(o:Org) "
                           "RETURN p.person_id AS p, o.unit_id AS o, h.type AS t1, a.type AS t2, labels(r) AS labels, "
                           "r.kind AS kind, r.withdrawn AS why, r.withdrawn_by AS by, r.withdrawn_at IS NOT NULL AS at, "
                           "r.record_id AS key, r.emp_id AS emp_id, r.withdrawn_labels AS was, r.src_file AS file, "
                           "r.src_line AS line ORDER BY o")
    assert {(r["p"], r["o"]) for r in retired} == {(P1, U2), (P2, EXT_EMPLOYER)}
    for r in retired:
        assert (r["t1"], r["t2"], r["labels"], r["kind"], r["why"], r["was"]) == (
            "HAS_EMPLOYMENT", "AT", ["Withdrawn"], "employment", "retired", ["Employment"])
        assert r["by"] == report.load_id and r["at"] and r["key"] == r["emp_id"]
        assert r["file"] == "employments.csv" and r["line"] >= 2
    # The same snapshot again retires nothing and changes nothing.
    before = graph_checksum(db, loose)
    again = load_folder(db, loose, write_folder(tmp_path / "snap2", {"employments": current}), snapshot=True)
    assert again.retired == 0 and graph_checksum(db, loose) == before
    # A record that comes back in a later extract is current again; its retired past stays.
    load_folder(db, loose, write_folder(tmp_path / "back", {"employments": data["employments"]}))
    assert entity_counts(db, loose)["employments"] == 4
    assert q(db, loose, "MATCH (r:Withdrawn {kind: 'employment', withdrawn: 'retired'}) RETURN count(r) AS n") == [{"n": 2}]


def test_a_retired_violation_stops_counting_in_credit(db: Driver, loose: Settings, tmp_path: Path) -> None:
    data = base(tmp_path, db, loose)

    def credit_of_u1() -> tuple[float, str]:
        row = next(r for r in compute_credit(db, loose, date(2024, 1, 1)) if r["unit_id"] == U1)
        return row["composite"], row["grade"]

    clean = credit_of_u1()
    penalty = {"violation_id": "V009", "subject_type": "单位", "subject_id": U1, "category": "超越资质",
               "severity": "严重", "decided": "2023-06-01", "authority": "省自然资源厅", "penalty": "罚款",
               "points": "20", "description": ""}
    load_folder(db, loose, write_folder(tmp_path / "punished", {"violations": [*data["violations"], penalty]}))
    punished = credit_of_u1()
    assert punished[0] < clean[0]
    # The source withdrew the penalty: the next snapshot of violations retires it and U1's credit is as before.
    report = load_folder(db, loose, write_folder(tmp_path / "withdrawn", {"violations": data["violations"]}),
                         snapshot=True)
    assert report.per_file["violations"].retired == 1
    assert credit_of_u1() == clean
    assert q(db, loose, "MATCH (v:Withdrawn {violation_id: 'V009'}) RETURN v.withdrawn AS why") == [{"why": "retired"}]


def test_without_snapshot_a_load_only_adds_and_updates(db: Driver, loose: Settings, tmp_path: Path) -> None:
    data = base(tmp_path, db, loose)
    report = load_folder(db, loose, write_folder(tmp_path / "part", {"employments": data["employments"][:1]}))
    assert report.retired == 0 and entity_counts(db, loose)["employments"] == 4


def test_a_mass_retirement_stops_before_writing(db: Driver, settings: Settings, cli_env: dict[str, str],
                                                tmp_path: Path) -> None:
    data = base(tmp_path, db, settings)
    loads_before = q(db, settings, "MATCH (l:Load) RETURN count(l) AS n")
    before = graph_checksum(db, settings)
    persons = [dict(p, title="研究员") for p in data["persons"]]  # changed rows: none may be written
    folder = write_folder(tmp_path / "snap", {"persons": persons, "employments": data["employments"][:2]})
    with pytest.raises(MassRetire, match=r"employments.csv: 2 of 4 employments \(50%\)"):
        load_folder(db, settings, folder, snapshot=True)
    assert graph_checksum(db, settings) == before
    assert q(db, settings, "MATCH (l:Load) RETURN count(l) AS n") == loads_before
    done = subprocess.run([PLANTALENT, "ingest", str(folder), "--snapshot"], env=cli_env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 2 and "--allow-mass-retire" in done.stderr and "nothing was written" in done.stderr
    assert graph_checksum(db, settings) == before
    done = subprocess.run([PLANTALENT, "ingest", str(folder), "--snapshot", "--allow-mass-retire", "--json"],
                          env=cli_env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["per_file"]["employments"]["retired"] == 2
    journal = subprocess.run([PLANTALENT, "loads", "--json", "--limit", "1"], env=cli_env, cwd=tmp_path,
                             capture_output=True, text=True, timeout=600)
    last = json.loads(journal.stdout)[0]
    assert last["mode"] == "snapshot" and last["retired"] == 2
    assert {f["file"]: f["retired"] for f in last["files"]} == {"persons.csv": 0, "employments.csv": 2}


def test_a_wholly_bad_file_retires_nothing_and_says_so(db: Driver, loose: Settings, tmp_path: Path) -> None:
    data = base(tmp_path, db, loose)
    # Every row names a person that does not exist: all rejected, which is not "everything withdrawn".
    bad = [dict(e, person_id=make_id(90 + i)) for i, e in enumerate(data["employments"])]
    report = load_folder(db, loose, write_folder(tmp_path / "bad", {"employments": bad}), snapshot=True)
    assert report.exit_code == 3 and report.per_file["employments"].rejected == 4
    assert report.retired == 0 and entity_counts(db, loose)["employments"] == 4
    assert any("every row of employments.csv was rejected" in n for n in report.notes)
    # Rows whose key columns are unreadable (a bad ID number) are as good as absent... unless no row is readable.
    unreadable = [dict(e, person_id="not-an-id") for e in data["employments"]]
    report = load_folder(db, loose, write_folder(tmp_path / "bad2", {"employments": unreadable}), snapshot=True)
    assert report.retired == 0 and report.notes


def test_a_rejected_row_still_protects_its_record(db: Driver, loose: Settings, tmp_path: Path) -> None:
    data = base(tmp_path, db, loose)
    rows = [dict(e) for e in data["employments"]]
    rows[0]["end_date"] = "2000-01-01"  # before its start: rejected, but it names a current record
    report = load_folder(db, loose, write_folder(tmp_path / "snap", {"employments": rows}), snapshot=True)
    assert report.per_file["employments"].rejected == 1 and report.retired == 0
    assert entity_counts(db, loose)["employments"] == 4


def test_persons_units_and_memberships(db: Driver, loose: Settings, tmp_path: Path) -> None:
    data = base(tmp_path, db, loose)
    snap = {
        # P3 is still named by violation V001: kept; P4 is named by nothing: retired.
        "persons": [p for p in data["persons"] if p["person_id"] not in (P3, P4)],
        # U3 is still U1's parent: it stops being a unit and stays as an external organisation.
        "units": [u for u in data["units"] if u["unit_id"] != U3],
        "project_members": [m for m in data["project_members"] if m["person_id"] != P2],
    }
    report = load_folder(db, loose, write_folder(tmp_path / "snap", snap), snapshot=True)
    f = report.per_file
    assert (f["persons"].retired, f["persons"].kept) == (1, 1)
    assert "1 persons absent from persons.csv kept" in (f["persons"].note or "")
    assert f["units"].retired == 1 and f["project_members"].retired == 1
    assert entity_counts(db, loose) == dict(WORLD_COUNTS, employments=4, persons=3, units=2, organisations=5, project_members=1)
    assert get_portrait(db, loose, P4) is None and get_portrait(db, loose, P3) is not None
    assert q(db, loose, "MATCH (r:Withdrawn {record_id: $p}) RETURN r.kind AS k, r.withdrawn_labels AS was", p=P4) == [
        {"k": "person", "was": ["Person"]}]
    u3 = q(db, loose, "MATCH (o:Org {unit_id: $u}) RETURN labels(o) AS labels, o.external AS ext, o.grade AS grade, "
                      "o.name AS name", u=U3)
    assert u3 == [{"labels": ["Org"], "ext": True, "grade": None, "name": "浙江某大学"}]
    version = q(db, loose, "MATCH (:Org {unit_id: $u})-[:HAS_VERSION]->(v) RETURN v.grade AS grade, "
                           "v.withdrawn_by AS by, v.src_file AS file", u=U3)
    assert version == [{"grade": "无", "by": report.load_id, "file": "units.csv"}]
    member = q(db, loose, "MATCH (p:Person)-[m:WAS_MEMBER_OF]->(j:Project) RETURN p.person_id AS p, j.project_id AS j, "
                          "m.role AS role, m.record_id AS rid, m.withdrawn AS why, m.withdrawn_by AS by")
    assert member == [{"p": P2, "j": "J001", "role": "参与人员", "rid": f"{P2}|J001|参与人员", "why": "retired",
                       "by": report.load_id}]
    assert get_portrait(db, loose, P2, unmask=True)["projects"]["count"] == 0  # type: ignore[index]
    # units.csv naming U3 again makes it a unit again.
    load_folder(db, loose, write_folder(tmp_path / "again", {"units": data["units"]}))
    assert q(db, loose, "MATCH (o:Unit {unit_id: $u}) RETURN o.grade AS g, o.external AS ext", u=U3) == [
        {"g": "无", "ext": False}]
