"""End to end on the small generated sample: ingest → credit → cockpit → inspection draw."""

from __future__ import annotations

import csv
import json
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from neo4j import Driver

from graph.settings import Settings
from ingest.loader import load_folder
from ingest.sample import generate
from queries.credit import compute_credit, list_credit, yellow_list
from queries.inspect import draw, read_roster
from queries.stats import cockpit


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, "small", seed=1)
    return out


@pytest.fixture(scope="module")
def loaded(db: Driver, settings: Settings, folder: Path) -> Driver:
    load_folder(db, settings, folder, errors_path=folder / "errors.csv")
    return db


@pytest.fixture(scope="module")
def as_of(folder: Path) -> date:
    return date.fromisoformat(json.loads((folder / "sample_meta.json").read_text(encoding="utf-8"))["as_of"])


def rows_of(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_credit_on_sample(loaded: Driver, settings: Settings, folder: Path, as_of: date) -> None:
    t0 = time.perf_counter()
    rows = compute_credit(loaded, settings, as_of)
    seconds = time.perf_counter() - t0
    # Government offices and universities without a qualification are not planning units.
    units = [u for u in rows_of(folder, "units") if not (u["unit_type"] in ("机关", "高校") and u["grade"] in ("", "无"))]
    assert sorted(r["unit_id"] for r in rows) == sorted(u["unit_id"] for u in units)
    grades = Counter(r["grade"] for r in rows)
    print(f"\nsmall sample: {len(rows)} units graded in {seconds:.2f} s: {dict(sorted(grades.items()))}; "
          f"yellow {len(yellow_list(loaded, settings))}")
    assert len(grades) >= 3  # the grades discriminate
    assert all(0 <= r["composite"] <= 100 for r in rows)
    violated = {v["subject_id"] for v in rows_of(folder, "violations") if v["subject_type"] == "单位"}
    clean_d = [r for r in rows if r["grade"] == "D" and r["unit_id"] not in violated
               and not r["factors_detail"]["indicators"]["open_alerts"]["value"]
               and not r["factors_detail"]["indicators"]["staff_violations"]["value"]]
    assert clean_d == []  # a unit with a clean record is never D
    assert len(list_credit(loaded, settings)) == len(rows)


def test_cockpit_on_sample(loaded: Driver, settings: Settings, folder: Path, as_of: date) -> None:
    c = cockpit(loaded, settings, as_of=as_of)
    units = rows_of(folder, "units")
    projects = rows_of(folder, "projects")
    assert c["units"]["total"] == len(units)
    assert c["projects"]["total"] == len(projects)
    assert c["projects"]["by_level"] == {k: v for k, v in Counter(p["level"] for p in projects).items()} | {}
    assert sum(c["registered"]["distribution"].values()) == len(units)


def test_draw_on_sample(loaded: Driver, settings: Settings, folder: Path, as_of: date) -> None:
    roster = read_roster(folder / "inspectors.csv")
    a = draw(loaded, settings, 10, 7, roster=roster, as_of=as_of)
    b = draw(loaded, settings, 10, 7, roster=folder / "inspectors.csv", as_of=as_of)
    assert a.rows() == b.rows() and len(a.units) == 10
    own = {(i.inspector_id, i.unit_id) for i in roster}
    for u in a.units:
        assert len(u.inspectors) == 2
        assert not any((i.inspector_id, u.unit_id) in own for i in u.inspectors)
