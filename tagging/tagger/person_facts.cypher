// The facts tagging needs for a batch of persons.
// $ids: list of person_id.
UNWIND $ids AS pid
MATCH (p:Person {person_id: pid})
RETURN p.person_id AS person_id, p.name AS name, p.title AS title, p.education AS education,
       p.school AS school, p.major AS major, p.bio AS bio,
       p.profile_hash AS profile_hash, p.embedding_hash AS embedding_hash,
       COLLECT { MATCH (p)-[m:MEMBER_OF]->(j:Project)
                 RETURN {project_id: j.project_id, name: j.name, description: j.description,
                         level: j.level, plan_type: j.plan_type, province: j.province,
                         start_date: toString(j.start_date), end_date: toString(j.end_date), role: m.role} } AS projects,
       COLLECT { MATCH (p)-[:IS_EXPERT]->(e:Expert)
                 RETURN {expert_id: e.expert_id, level: e.level, fields: e.fields, status: e.status} } AS experts,
       COLLECT { MATCH (p)-[:HAS_REGISTRATION]->(r:Registration)
                 RETURN {cert_no: r.cert_no, unit_id: r.unit_id, valid_from: toString(r.valid_from),
                         valid_to: toString(r.valid_to)} } AS registrations,
       COLLECT { MATCH (a:Award)-[:TO_PERSON]->(p)
                 RETURN {award_id: a.award_id, name: a.name, level: a.level, year: a.year,
                         project_id: a.project_id} } AS awards
