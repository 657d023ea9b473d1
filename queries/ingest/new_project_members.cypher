// project_members.csv rows without their MEMBER_OF yet (fast path of ingest/writers.py: CREATE, no MERGE).
// Params: $rows [{project_id, person_id, role, line, h, p}] with distinct (person, project, role), $file, $load_id.
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (j:Project {project_id: row.project_id})
CREATE (p)-[m:MEMBER_OF {role: row.role, src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: datetime(), row_hash: row.h}]->(j)
SET m += row.p
