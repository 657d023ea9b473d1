// Experience and credit facts of a set of persons (recommendation).
// $ids: list of person_id.
UNWIND $ids AS pid
MATCH (p:Person {person_id: pid})
RETURN pid AS person_id, p.title AS title,
       COLLECT { MATCH (p)-[m:MEMBER_OF]->(j:Project)
                 RETURN {project_id: j.project_id, level: j.level, role: m.role, plan_type: j.plan_type,
                         province: j.province, end_date: toString(j.end_date)} } AS projects,
       COLLECT { MATCH (a:Award)-[:TO_PERSON]->(p) RETURN {award_id: a.award_id, level: a.level, year: a.year} } AS awards,
       COLLECT { MATCH (v:Violation)-[:AGAINST]->(p)
                 RETURN {violation_id: v.violation_id, severity: v.severity, points: v.points, decided: toString(v.decided)} } AS violations
