"""The generated small sample loads into the real Neo4j without a single rejected row."""

from __future__ import annotations

import csv
from pathlib import Path

from neo4j import Driver

from graph.settings import Settings
from ingest.loader import load_folder
from ingest.sample import generate
from ingest.stats import entity_counts
from tests.ingest.conftest import graph_checksum, wipe


def test_small_sample_loads_cleanly(db: Driver, settings: Settings, tmp_path: Path) -> None:
    summary = generate(tmp_path / "s", scale="small", seed=5)
    errors = tmp_path / "errors.csv"
    report = load_folder(db, settings, summary.out, errors_path=errors)
    problems = errors.read_text(encoding="utf-8").splitlines() if errors.exists() else []
    assert report.rejected == 0 and report.exit_code == 0, problems[:10]
    counts = entity_counts(db, settings)
    for key in ("persons", "employments", "registrations", "projects", "project_members", "experts", "awards",
                "violations", "applications", "reorganizations"):
        assert counts[key] == summary.counts[key], key
    assert counts["units"] == summary.counts["units"]
    assert counts["insurance_periods"] == summary.counts["social_insurance"]
    with open(summary.out / "social_insurance.csv", encoding="utf-8") as fh:
        payers = {r["unit_id"] for r in csv.DictReader(fh)}
    with open(summary.out / "units.csv", encoding="utf-8") as fh:
        external = payers - {r["unit_id"] for r in csv.DictReader(fh)}
    # External payers are kept as organisations (counted alone or together with the units).
    assert external and counts["organisations"] in (len(external), len(external) + counts["units"])


def test_concurrent_writers_give_the_same_graph(db: Driver, settings: Settings, tmp_path: Path) -> None:
    """Small batches written by several concurrent transactions (fresh fast-path files) give the very graph
    one writer gives: batches with new external orgs are barriers, nothing is lost or doubled."""
    summary = generate(tmp_path / "s", scale="small", seed=7)
    skip = ("load_id", "loaded_at")
    wipe(db, settings)
    serial = load_folder(db, settings.model_copy(update={"batch_size": 300, "ingest_writers": 1}), summary.out)
    expected, counts = graph_checksum(db, settings, skip=skip), entity_counts(db, settings)
    wipe(db, settings)
    many = settings.model_copy(update={"batch_size": 300, "ingest_writers": 3})
    concurrent = load_folder(db, many, summary.out)
    assert (concurrent.rows, concurrent.loaded, concurrent.rejected) == (serial.rows, serial.loaded, serial.rejected)
    assert entity_counts(db, settings) == counts
    assert graph_checksum(db, settings, skip=skip) == expected
    # A second concurrent load finds everything in the graph: nothing changes.
    load_folder(db, many, summary.out)
    assert graph_checksum(db, settings, skip=skip) == expected
