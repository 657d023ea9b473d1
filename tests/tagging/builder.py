"""Build small test graphs directly in Neo4j, in the shape of docs/graph-model.md.

`build(driver, settings, g)` takes a dict of lists (units, persons, registrations, employments,
insurance, experts, projects, members, awards, violations, alerts) with Python dates and writes
them with UNWIND MERGE, the way ingest does (without provenance, which tagging never reads).
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from graph.settings import Settings

UNITS = """
UNWIND $rows AS row
MERGE (o:Org {unit_id: row.unit_id})
SET o:Unit, o.name = row.name, o.province = row.province, o.city = row.city, o.external = false,
    o.unit_type = coalesce(row.unit_type, '企业'), o.grade = row.grade
"""
PERSONS = """
UNWIND $rows AS row
MERGE (p:Person {person_id: row.person_id})
SET p.name = row.name, p.gender = row.gender, p.birth_date = row.birth_date, p.education = row.education,
    p.school = row.school, p.major = row.major, p.title = row.title, p.phone = row.phone, p.email = row.email,
    p.civil_servant = coalesce(row.civil_servant, false), p.retired = coalesce(row.retired, false), p.bio = row.bio
"""
REGISTRATIONS = """
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id}), (o:Org {unit_id: row.unit_id})
MERGE (r:Registration {reg_id: row.cert_no + '|' + row.unit_id + '|' + toString(row.valid_from)})
SET r.cert_no = row.cert_no, r.person_id = row.person_id, r.unit_id = row.unit_id,
    r.valid_from = row.valid_from, r.valid_to = row.valid_to
MERGE (p)-[:HAS_REGISTRATION]->(r)
MERGE (r)-[:AT]->(o)
"""
EMPLOYMENTS = """
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id}), (o:Org {unit_id: row.unit_id})
MERGE (x:Employment {emp_id: row.person_id + '|' + row.unit_id + '|' + toString(row.start_date)})
SET x.person_id = row.person_id, x.unit_id = row.unit_id, x.start_date = row.start_date,
    x.end_date = row.end_date, x.position = row.position
MERGE (p)-[:HAS_EMPLOYMENT]->(x)
MERGE (x)-[:AT]->(o)
"""
INSURANCE = """
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id}), (o:Org {unit_id: row.unit_id})
MERGE (i:Insurance {ins_id: row.person_id + '|' + row.unit_id + '|' + toString(row.start_month)})
SET i.person_id = row.person_id, i.unit_id = row.unit_id, i.payer_name = o.name, i.payer_type = '企业',
    i.province = o.province, i.start_month = row.start_month, i.end_month = row.end_month
MERGE (p)-[:HAS_INSURANCE]->(i)
MERGE (i)-[:AT]->(o)
"""
EXPERTS = """
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MERGE (e:Expert {expert_id: row.expert_id})
SET e.person_id = row.person_id, e.level = row.level, e.fields = row.fields, e.appointed = row.appointed,
    e.status = row.status
MERGE (p)-[:IS_EXPERT]->(e)
"""
PROJECTS = """
UNWIND $rows AS row
MERGE (j:Project {project_id: row.project_id})
SET j.name = row.name, j.level = row.level, j.plan_type = row.plan_type, j.province = row.province,
    j.lead_unit_id = row.lead_unit_id, j.start_date = row.start_date, j.end_date = row.end_date,
    j.status = '已完成', j.description = row.description
WITH j, row
MATCH (o:Org {unit_id: row.lead_unit_id})
MERGE (j)-[:LED_BY]->(o)
"""
MEMBERS = """
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id}), (j:Project {project_id: row.project_id})
MERGE (p)-[m:MEMBER_OF {role: row.role}]->(j)
SET m.unit_id = row.unit_id
"""
AWARDS = """
UNWIND $rows AS row
MERGE (a:Award {award_id: row.award_id})
SET a.name = row.name, a.level = row.level, a.year = row.year, a.project_id = row.project_id,
    a.person_ids = row.person_ids
WITH a, row
UNWIND row.person_ids AS pid
MATCH (p:Person {person_id: pid})
MERGE (a)-[:TO_PERSON]->(p)
"""
VIOLATIONS = """
UNWIND $rows AS row
MERGE (v:Violation {violation_id: row.violation_id})
SET v.subject_type = '个人', v.subject_id = row.person_id, v.category = row.category,
    v.severity = row.severity, v.decided = row.decided, v.points = row.points
WITH v, row
MATCH (p:Person {person_id: row.person_id})
MERGE (v)-[:AGAINST]->(p)
"""
ALERTS = """
UNWIND $rows AS row
MERGE (a:Alert {alert_id: row.alert_id})
SET a.rule = row.rule, a.severity = row.severity, a.status = row.status, a.summary = row.summary,
    a.person_ids = [row.person_id], a.unit_ids = [], a.score = 0.9
WITH a, row
MATCH (p:Person {person_id: row.person_id})
MERGE (a)-[:CONCERNS]->(p)
"""

ORDER = [("units", UNITS), ("persons", PERSONS), ("registrations", REGISTRATIONS), ("employments", EMPLOYMENTS),
         ("insurance", INSURANCE), ("experts", EXPERTS), ("projects", PROJECTS), ("members", MEMBERS),
         ("awards", AWARDS), ("violations", VIOLATIONS), ("alerts", ALERTS)]


def build(driver: Driver, settings: Settings, g: dict[str, list[dict[str, Any]]]) -> None:
    """Write graph ``g`` (missing optional keys filled with None)."""
    for key, query in ORDER:
        rows = g.get(key) or []
        if rows:
            keys = {k for r in rows for k in r}
            rows = [{k: r.get(k) for k in keys} for r in rows]
            driver.execute_query(query, rows=rows, database_=settings.neo4j_database)
