// Experts who shared a project with a member of an excluded unit (the member's project row names
// that unit) in the window [$since, $as_of]: the project started on or before $as_of and had not
// ended before $since. $units: list of unit_id; $as_of, $since: date.
UNWIND $units AS uid
MATCH (q:Person)-[m:MEMBER_OF {unit_id: uid}]->(j:Project)
WHERE coalesce(j.start_date, $as_of) <= $as_of AND (j.end_date IS NULL OR j.end_date >= $since)
MATCH (j)<-[:MEMBER_OF]-(p:Person)-[:IS_EXPERT]->(e:Expert)
WHERE p <> q
RETURN DISTINCT e.expert_id AS expert_id, uid AS unit_id, j.project_id AS project_id, j.name AS project,
       q.name AS colleague
ORDER BY expert_id, unit_id, project_id, colleague
