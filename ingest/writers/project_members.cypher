// project_members.csv. Params: $rows [{project_id, person_id, role, line, h, p: {role, unit_id}}],
// $file, $load_id, $loaded_at. One MEMBER_OF per (person, project, role).
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (j:Project {project_id: row.project_id})
MERGE (p)-[m:MEMBER_OF {role: row.role}]->(j)
WITH m, row WHERE m.row_hash IS NULL OR m.row_hash <> row.h
SET m += row.p, m.src_file = $file, m.src_line = row.line, m.load_id = $load_id, m.loaded_at = $loaded_at, m.row_hash = row.h
