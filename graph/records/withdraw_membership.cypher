// Set a person's project membership aside (graph/records.py): MEMBER_OF -> WAS_MEMBER_OF with its
// properties and withdrawn/withdrawn_at/withdrawn_by/record_id.
// Parameters: $person_id, $project_id, $role, $record_id, $reason, $by, $at (DateTime).
MATCH (p:Person {person_id: $person_id})-[m:MEMBER_OF {role: $role}]->(j:Project {project_id: $project_id})
CREATE (p)-[w:WAS_MEMBER_OF]->(j)
SET w = properties(m), w.record_id = $record_id, w.withdrawn = $reason, w.withdrawn_at = $at, w.withdrawn_by = $by
DELETE m
RETURN count(w) AS n
