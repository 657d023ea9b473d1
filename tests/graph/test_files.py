"""Files written for people: no cell runs as a formula in a spreadsheet, and the error report (full of
ID numbers) is readable by its owner only. Checked on the real files: the ingest error report, the
credit CSV and the inspection draw written by the CLI."""

from __future__ import annotations

import csv
import stat
import subprocess
from pathlib import Path

import pytest
from neo4j import Driver

from graph.files import SafeDictWriter, SafeWriter, private_file, safe_cell
from graph.settings import Settings
from ingest.loader import load_folder
from tests.ingest.conftest import U1, world, write_folder

FORMULA = '=HYPERLINK("http://evil.example","点我")'


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", FORMULA])
def test_formula_text_gets_a_leading_quote(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["规划院", "a=b", "", None, -1, 2.5, "'=already"])
def test_other_cells_stay_as_they_are(value: object) -> None:
    assert safe_cell(value) == value


def test_writers_escape_every_cell(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        SafeWriter(fh).writerow(["a", "=b", -3])
        w = SafeDictWriter(fh, fieldnames=["k", "v"])
        w.writerows([{"k": "@x", "v": "ok"}])
    assert list(csv.reader(path.open(encoding="utf-8"))) == [["a", "'=b", "-3"], ["'@x", "ok"]]


def test_private_file_is_0600_even_over_a_wider_file(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o644)
    with private_file(path) as fh:
        fh.write("new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_text(encoding="utf-8") == "new"


@pytest.fixture(scope="module")
def loaded(db: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ingest world with a unit named like a formula and a rejected row whose value is one."""
    tmp = tmp_path_factory.mktemp("files")
    data = world()
    data["units"][0]["name"] = FORMULA
    bad = dict(data["persons"][0], person_id="=1+2", name="坏行")
    data["persons"].append(bad)
    report_path = tmp / "errors.csv"
    report = load_folder(db, settings, write_folder(tmp / "in", data), errors_path=report_path)
    assert report.rejected >= 1
    return report_path


def test_error_report_is_private_and_escaped(loaded: Path) -> None:
    assert stat.S_IMODE(loaded.stat().st_mode) == 0o600
    rows = list(csv.DictReader(loaded.open(encoding="utf-8", newline="")))
    assert {"column": "person_id", "value": "'=1+2"}.items() <= next(r for r in rows if r["column"] == "person_id").items()


def test_credit_and_draw_csv_escape_names(loaded: Path, cli_env: dict[str, str], tmp_path: Path) -> None:
    credit_csv, draw_csv = tmp_path / "credit.csv", tmp_path / "draw.csv"
    for args in (["credit", "--as-of", "2026-06-30", "--out", str(credit_csv)],
                 ["inspect", "draw", "--n", "3", "--seed", "1", "--as-of", "2026-06-30", "--out", str(draw_csv)]):
        r = subprocess.run(["plantalent", *args], env=cli_env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
    credit_rows = {r["unit_id"]: r for r in csv.DictReader(credit_csv.open(encoding="utf-8-sig", newline=""))}
    assert credit_rows[U1]["name"] == "'" + FORMULA
    draw_rows = {r["unit_id"]: r for r in csv.DictReader(draw_csv.open(encoding="utf-8-sig", newline=""))}
    assert draw_rows[U1]["unit_name"] == "'" + FORMULA
