"""ingest/writers/hash_<file>.cypher: Neo4j compares a batch's hashes with the graph's and answers only for
the rows it does not hold as they are, so the unchanged rows of a monthly extract cost no record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from neo4j import Driver

from graph.db import read
from graph.settings import Settings
from ingest.loader import load_folder
from ingest.writers import CYPHER, REL_KEYS, Stored, _stored
from tests.ingest.conftest import wipe

# The record node of each file: label and key property (ingest/writers/<file>.cypher).
NODES = {
    "units": ("Unit", "unit_id"), "persons": ("Person", "person_id"), "registrations": ("Registration", "reg_id"),
    "employments": ("Employment", "emp_id"), "social_insurance": ("Insurance", "ins_id"),
    "experts": ("Expert", "expert_id"), "projects": ("Project", "project_id"),
    "applications": ("Application", "application_id"), "awards": ("Award", "award_id"),
    "violations": ("Violation", "violation_id"), "reorganizations": ("Reorganization", "reorg_id"),
}
# What the graph holds of each relationship record: its row keys and hash.
RELS = {
    "project_members": "MATCH (p:Person)-[m:MEMBER_OF]->(j:Project) "
                       "RETURN p.person_id AS person_id, j.project_id AS project_id, m.role AS role, m.row_hash AS h",
    "application_staff": "MATCH (a:Application)-[d:DECLARES]->(p:Person) "
                         "RETURN a.application_id AS application_id, p.person_id AS person_id, d.row_hash AS h",
}


def _answers(db: Driver, settings: Settings, file_name: str, rows: list[dict[str, Any]]) -> tuple[int, list[Stored]]:
    """(records the hash query returns, what _stored makes of them) for a batch of rows."""
    if file_name in REL_KEYS:
        keys: list[dict[str, Any]] = [{"i": i, **row} for i, row in enumerate(rows)]
    else:
        keys = [{"k": row["k"], "h": row["h"]} for row in rows]
    with db.session(database=settings.neo4j_database) as session:
        returned = len(session.execute_read(lambda tx: list(tx.run(CYPHER.load(f"hash_{file_name}"), keys=keys))))
        return returned, session.execute_read(_stored, file_name, rows)


def test_only_rows_not_held_as_they_are_come_back(db: Driver, settings: Settings, world_dir, tmp_path: Path) -> None:
    wipe(db, settings)
    assert load_folder(db, settings, world_dir()).rejected == 0
    for file_name, (label, key) in NODES.items():
        held = [{"k": r["k"], "h": r["h"]}
                for r in read(db, settings, f"MATCH (n:{label}) RETURN n.{key} AS k, n.row_hash AS h")]
        assert held and all(r["h"] for r in held), file_name
        rows = [*held, {"k": held[0]["k"], "h": "another"}, {"k": "absent", "h": "x"}]
        returned, stored = _answers(db, settings, file_name, rows)
        assert returned == 2, file_name  # the changed row and the absent one, nothing for the held rows
        assert stored[:len(held)] == [Stored(True, r["h"]) for r in held], file_name
        changed, absent = stored[len(held):]
        assert (changed.found, changed.h, changed.eid is not None) == (True, held[0]["h"], True), file_name
        assert absent == Stored(False), file_name
    for file_name, query in RELS.items():
        held = read(db, settings, query)
        assert held and all(r["h"] for r in held), file_name
        other_key = {k: f"{v}-absent" if k == "person_id" else v for k, v in held[0].items()}
        rows = [*held, {**held[0], "h": "another"}, {**other_key, "h": "x"}]
        returned, stored = _answers(db, settings, file_name, rows)
        assert returned == 2, file_name
        assert stored[:len(held)] == [Stored(True, r["h"]) for r in held], file_name
        changed, absent = stored[len(held):]
        assert (changed.found, changed.h, changed.eid is not None, changed.owner is not None) == (
            True, held[0]["h"], True, True), file_name
        assert absent.found is False, file_name


def test_a_unit_a_snapshot_demoted_is_never_unchanged(db: Driver, settings: Settings, world_dir) -> None:
    """A demoted unit keeps its key but no row hash: its row again must make it a unit again."""
    wipe(db, settings)
    load_folder(db, settings, world_dir())
    unit = read(db, settings, "MATCH (n:Unit) RETURN n.unit_id AS k, n.row_hash AS h LIMIT 1")[0]
    db.execute_query("MATCH (n:Org {unit_id: $k}) SET n.row_hash = null", k=unit["k"],
                     database_=settings.neo4j_database)
    returned, stored = _answers(db, settings, "units", [unit])
    assert returned == 1 and stored[0].found and stored[0].h is None
