"""Builds small test graphs directly in Neo4j, shaped as docs/graph-model.md (no tests in here).

Used by the credit, stats and inspect tests so they do not depend on the ingest package. Every
builder takes plain dict rows (dates as ``datetime.date``) and writes them with UNWIND batches.
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from graph.db import write
from graph.settings import Settings

UNITS = """
UNWIND $rows AS row
MERGE (u:Org {unit_id: row.unit_id}) SET u:Unit, u += row, u.external = false
"""
ORGS = """
UNWIND $rows AS row
MERGE (u:Org {unit_id: row.unit_id}) SET u += row, u.external = true
"""
PERSONS = "UNWIND $rows AS row MERGE (p:Person {person_id: row.person_id}) SET p += row"
REGISTRATIONS = """
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id}), (o:Org {unit_id: row.unit_id})
MERGE (r:Registration {reg_id: row.cert_no + '|' + row.unit_id + '|' + toString(row.valid_from)})
SET r += row
MERGE (p)-[:HAS_REGISTRATION]->(r) MERGE (r)-[:AT]->(o)
"""
EMPLOYMENTS = """
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id}), (o:Org {unit_id: row.unit_id})
MERGE (r:Employment {emp_id: row.person_id + '|' + row.unit_id + '|' + toString(row.start_date)})
SET r += row
MERGE (p)-[:HAS_EMPLOYMENT]->(r) MERGE (r)-[:AT]->(o)
"""
INSURANCE = """
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id}), (o:Org {unit_id: row.unit_id})
MERGE (r:Insurance {ins_id: row.person_id + '|' + row.unit_id + '|' + toString(row.start_month)})
SET r += row
MERGE (p)-[:HAS_INSURANCE]->(r) MERGE (r)-[:AT]->(o)
"""
PROJECTS = """
UNWIND $rows AS row
MATCH (o:Org {unit_id: row.lead_unit_id})
MERGE (j:Project {project_id: row.project_id}) SET j += row
MERGE (j)-[:LED_BY]->(o)
"""
AWARDS = """
UNWIND $rows AS row
MERGE (a:Award {award_id: row.award_id}) SET a += row
WITH a, row
CALL (a, row) {
  MATCH (o:Org {unit_id: row.unit_id}) MERGE (a)-[:TO_UNIT]->(o)
}
CALL (a, row) {
  UNWIND coalesce(row.person_ids, []) AS pid
  MATCH (p:Person {person_id: pid}) MERGE (a)-[:TO_PERSON]->(p)
}
"""
VIOLATIONS = """
UNWIND $rows AS row
MERGE (v:Violation {violation_id: row.violation_id}) SET v += row
WITH v, row
CALL (v, row) {
  MATCH (s:Org {unit_id: row.subject_id}) WHERE row.subject_type = '单位' MERGE (v)-[:AGAINST]->(s)
}
CALL (v, row) {
  MATCH (s:Person {person_id: row.subject_id}) WHERE row.subject_type = '个人' MERGE (v)-[:AGAINST]->(s)
}
"""
ALERTS = """
UNWIND $rows AS row
MERGE (a:Alert {alert_id: row.alert_id})
SET a.rule = row.rule, a.severity = row.severity, a.status = row.status, a.score = 0.9,
    a.unit_ids = row.unit_ids, a.person_ids = coalesce(row.person_ids, []), a.summary = row.rule
WITH a, row
CALL (a, row) {
  UNWIND row.unit_ids AS uid MATCH (o:Org {unit_id: uid}) MERGE (a)-[:CONCERNS]->(o)
}
CALL (a, row) {
  UNWIND coalesce(row.person_ids, []) AS pid MATCH (p:Person {person_id: pid}) MERGE (a)-[:CONCERNS]->(p)
}
"""
ORDER = (("units", UNITS), ("orgs", ORGS), ("persons", PERSONS), ("registrations", REGISTRATIONS),
         ("employments", EMPLOYMENTS), ("insurance", INSURANCE), ("projects", PROJECTS), ("awards", AWARDS),
         ("violations", VIOLATIONS), ("alerts", ALERTS))


def build_graph(driver: Driver, settings: Settings, data: dict[str, list[dict[str, Any]]]) -> None:
    """Write ``data`` (keys as in ORDER) into the graph."""
    unknown = set(data) - {k for k, _ in ORDER}
    assert not unknown, unknown
    for key, query in ORDER:
        if data.get(key):
            write(driver, settings, query, rows=data[key])


def wipe(driver: Driver, settings: Settings) -> None:
    """Delete every node (schema kept)."""
    write(driver, settings, "MATCH (n) DETACH DELETE n")
