// A person's current membership of a project in a role. Parameters: $person_id, $project_id, $role.
MATCH (p:Person {person_id: $person_id})-[m:MEMBER_OF {role: $role}]->(j:Project {project_id: $project_id})
OPTIONAL MATCH (u:Org {unit_id: m.unit_id})
RETURN m {.*, project_id: j.project_id, project_name: j.name, unit_name: u.name, unit_province: u.province} AS record
LIMIT 1
