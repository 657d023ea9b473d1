"""Fixtures for the detection tests: each test plants its own scenario (tests/builder.py) in a
database emptied for it (`fresh`), and `detect` runs one rule over it.
"""

from __future__ import annotations

from datetime import date

import pytest
from neo4j import Driver

from graph.settings import Settings
from queries.detect import run_detection
from tests.builder import Scenario

AS_OF = date(2024, 12, 31)


@pytest.fixture
def fresh(db: Driver, settings: Settings) -> Driver:
    """The session driver over an emptied database (schema kept)."""
    with db.session(database=settings.neo4j_database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    return db


def detect(driver: Driver, settings: Settings, rule: str, sc: Scenario, as_of: date = AS_OF,
           person: str | None = None) -> set[tuple[str, ...]]:
    """Load the scenario, run one rule (not stored) and return the alert keys as short names."""
    sc.load(driver, settings)
    alerts = run_detection(driver, settings, as_of, [rule], sc.p(person) if person else None)
    assert all(a.rule == rule for a in alerts)
    return sc.keys(alerts)
