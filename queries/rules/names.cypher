// Names for alert summaries and graph labels.
// Parameters: $person_ids, $unit_ids, $project_ids (lists of keys; missing keys are skipped).
// Rows: {id, name}.
UNWIND $person_ids AS pid
MATCH (p:Person {person_id: pid})
RETURN p.person_id AS id, p.name AS name
UNION ALL
UNWIND $unit_ids AS uid
MATCH (u:Org {unit_id: uid})
RETURN u.unit_id AS id, u.name AS name
UNION ALL
UNWIND $project_ids AS jid
MATCH (j:Project {project_id: jid})
RETURN j.project_id AS id, j.name AS name
