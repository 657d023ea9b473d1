"""Each kind of bad input gives its exact report line; rejected rows are never half-written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from neo4j import Driver

from graph.settings import Settings
from ingest.errors import read_report
from ingest.loader import load_folder
from ingest.stats import entity_counts
from tests.ingest.conftest import (
    P1,
    U1,
    U2,
    WORLD_COUNTS,
    make_id,
    make_uscc,
    wipe,
    world,
    write_file,
    write_folder,
)

BAD_ID = make_id(5)[:-1] + ("0" if make_id(5)[-1] != "0" else "1")
MISMATCH = make_id(6, date(1990, 1, 1))
NOBODY = make_id(7, date(1991, 1, 1))

# (file, line, column, words of the reason) of every expected report line.
EXPECTED = {
    ("persons.csv", 6, "person_id", "check digit"),
    ("persons.csv", 7, "birth_date", "differs from the ID number's 1990-01-01"),
    ("persons.csv", 8, "person_id", "duplicate key"),
    ("persons.csv", 9, "birth_date", "not a calendar date"),
    ("persons.csv", 10, "name", "required value is missing"),
    ("persons.csv", 11, "civil_servant", "expected 是 or 否"),
    ("persons.csv", 12, "person_id", "18 characters"),
    ("persons.csv", 13, "person_id", "birth place"),
    ("units.csv", 5, "unit_id", "check character is wrong"),
    ("units.csv", 6, "grade", "must be one of 甲级/乙级/无"),
    ("registrations.csv", 4, "person_id", "is not in persons.csv nor in the graph"),
    ("registrations.csv", 5, "valid_to", "valid_to is before valid_from"),
    ("registrations.csv", 6, "person_id", "is not in persons.csv nor in the graph"),
    ("employments.csv", 5, "start_date", "not a calendar date"),
    ("social_insurance.csv", 4, "start_month", "not a calendar date"),
    ("social_insurance.csv", 5, "payer_type", "must be one of 企业/事业单位/机关/其他"),
    ("project_members.csv", 4, "project_id", "project J999 is not in projects.csv"),
    ("project_members.csv", 5, "role", "must be one of"),
    ("violations.csv", 4, "subject_id", "is not in persons.csv"),
    ("awards.csv", 3, "person_ids", "is not in persons.csv"),
    ("awards.csv", 4, "year", "not an integer"),
    ("reorganizations.csv", 3, "kind", "must be one of 合并/分立/更名/划转"),
    ("reorganizations.csv", 4, "", "row has 5 cells but the header has 4"),
}


def bad_world(folder: Path) -> Path:
    data = world()
    person = dict(data["persons"][0], phone="", email="")
    data["persons"] += [
        dict(person, person_id=BAD_ID),
        dict(person, person_id=MISMATCH, birth_date="1991-01-01"),
        dict(person, name="重复"),
        dict(person, person_id=make_id(8), birth_date="2023-13-01"),
        dict(person, person_id=make_id(9), name=""),
        dict(person, person_id=make_id(10), civil_servant="maybe"),
        dict(person, person_id="11010119800101001"),
        dict(person, person_id=make_id(11, region="999999")),
    ]
    unit = dict(data["units"][2])
    data["units"] += [dict(unit, unit_id=make_uscc(20)[:-1] + "0" if make_uscc(20)[-1] != "0" else make_uscc(20)[:-1] + "1"),
                      dict(unit, unit_id=make_uscc(21), grade="丙级")]
    reg = data["registrations"][0]
    data["registrations"] += [dict(reg, cert_no="R9", person_id=NOBODY), dict(reg, cert_no="R10", valid_to="2019-12-31"),
                              dict(reg, cert_no="R11", person_id=MISMATCH)]
    data["employments"].append(dict(data["employments"][0], start_date="2023/02/30"))
    ins = data["social_insurance"][0]
    data["social_insurance"] += [dict(ins, start_month="2023-13"), dict(ins, start_month="2023-02", payer_type="个体")]
    data["project_members"] += [dict(data["project_members"][0], project_id="J999"),
                                dict(data["project_members"][0], role="顾问")]
    data["violations"].append(dict(data["violations"][0], violation_id="V009", subject_id=NOBODY))
    data["awards"] += [dict(data["awards"][0], award_id="W2", person_ids=f"{P1}、{NOBODY}"),
                       dict(data["awards"][0], award_id="W3", year="二〇二一")]
    data["reorganizations"].append(dict(data["reorganizations"][0], kind="收购"))
    write_folder(folder, data)
    with (folder / "reorganizations.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{U1},{U2},2022-01-01,更名,extra\n")
    return folder


def test_every_bad_row_is_reported_and_the_rest_loads(db: Driver, settings: Settings, tmp_path: Path) -> None:
    wipe(db, settings)
    report_path = tmp_path / "errors.csv"
    report = load_folder(db, settings, bad_world(tmp_path / "in"), errors_path=report_path)
    assert report_path.read_text(encoding="utf-8").splitlines()[0] == "file,line,column,value,reason"
    lines = read_report(report_path)
    got = {(e.file, e.line, e.column) for e in lines}
    for file, line, column, words in EXPECTED:
        match = [e for e in lines if (e.file, e.line, e.column) == (file, line, column)]
        assert match, f"no report line for {file}:{line}:{column}; got {sorted(got)}"
        assert words in match[0].reason, match[0]
    assert got == {(f, ln, c) for f, ln, c, _ in EXPECTED}
    assert report.exit_code == 3
    assert report.rejected == len(EXPECTED)
    # Valid rows of the same files still load; nothing of a rejected row is written.
    assert entity_counts(db, settings) == WORLD_COUNTS
    value = {(e.file, e.line, e.column): e.value for e in lines}
    assert value[("persons.csv", 6, "person_id")] == BAD_ID
    assert value[("persons.csv", 9, "birth_date")] == "2023-13-01"
    records = db.execute_query("MATCH (n) WHERE n.cert_no IN ['R9', 'R10', 'R11'] OR n.person_id IN $ids RETURN n",
                               ids=[BAD_ID, MISMATCH, NOBODY], database_=settings.neo4j_database).records
    assert records == []


def test_xlsx_and_blank_lines_keep_sheet_row_numbers(db: Driver, settings: Settings, tmp_path: Path) -> None:
    wipe(db, settings)
    folder = tmp_path / "in"
    folder.mkdir()
    person = dict(world()["persons"][0])
    rows = [person, {}, dict(person, person_id=BAD_ID)]  # sheet row 3 is empty
    write_file(folder, "persons", rows, "xlsx")
    report = load_folder(db, settings, folder)
    assert [(e.file, e.line, e.column) for e in report.errors] == [("persons.xlsx", 4, "person_id")]
    write_file(folder, "persons", rows, "csv")
    (folder / "persons.xlsx").unlink()
    report = load_folder(db, settings, folder)
    assert [(e.file, e.line, e.column) for e in report.errors] == [("persons.csv", 4, "person_id")]


def test_library_failure_is_a_rejected_row_not_a_crash(db: Driver, settings: Settings, tmp_path: Path, monkeypatch) -> None:
    from ingest import validate

    def broken(number: str) -> str:
        raise RuntimeError("numdb exploded")

    # The numdb birth-place look-up (cached per place and year, so the cache is emptied around the patch).
    monkeypatch.setattr(validate.ric, "get_birth_place", broken)
    validate._birth_place_error.cache_clear()
    wipe(db, settings)
    folder = tmp_path / "in"
    folder.mkdir()
    write_file(folder, "persons", world()["persons"][:1])
    try:
        report = load_folder(db, settings, folder)
    finally:
        validate._birth_place_error.cache_clear()
    assert report.exit_code == 3
    assert report.errors[0].column == "person_id" and "could not be validated" in report.errors[0].reason
