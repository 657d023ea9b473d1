// Everything ranking needs about every expert, read once into the in-process expert index
// (queries/experts.py ExpertIndex). Conflict-of-interest facts are NOT taken from here: they are
// read live for each request (conflicts.cypher). No parameters.
MATCH (p:Person)-[:IS_EXPERT]->(e:Expert)
RETURN e.expert_id AS expert_id, e.status AS status, e.level AS level, e.fields AS fields,
       p.person_id AS person_id, p.name AS name, toString(p.birth_date) AS birth_date,
       COLLECT { MATCH (p)-[:HAS_EMPLOYMENT]->(x:Employment)-[:AT]->(o:Org)
                 RETURN {start: toString(x.start_date), end: toString(x.end_date), unit_id: o.unit_id,
                         name: o.name, province: o.province} } AS employments,
       COLLECT { MATCH (p)-[:HAS_REGISTRATION]->(r:Registration)-[:AT]->(o:Org)
                 RETURN {start: toString(r.valid_from), end: toString(r.valid_to), unit_id: o.unit_id,
                         name: o.name, province: o.province} } AS registrations,
       COLLECT { MATCH (p)-[m:MEMBER_OF]->(j:Project) RETURN {level: j.level, role: m.role} } AS projects,
       COLLECT { MATCH (a:Award)-[:TO_PERSON]->(p) RETURN {award_id: a.award_id, level: a.level, year: a.year} } AS awards,
       COLLECT { MATCH (v:Violation)-[:AGAINST]->(p)
                 RETURN {violation_id: v.violation_id, severity: v.severity, points: v.points, decided: toString(v.decided)} } AS violations,
       COLLECT { MATCH (p)-[r:HAS_TAG]->(t:Tag)
                 RETURN {tag_id: t.tag_id, label: t.label, kind: t.kind, weight: r.weight} } AS tags,
       p.embedding AS embedding, p.expert_text IS NOT NULL AS has_expert_text
