// Existing MEMBER_OF hashes of a project_members batch (fast path of ingest/writers.py).
// Params: $keys [{i, project_id, person_id, role}]. Rows without a relationship are not returned.
UNWIND $keys AS k
MATCH (p:Person {person_id: k.person_id})-[m:MEMBER_OF {role: k.role}]->(j:Project {project_id: k.project_id})
RETURN k.i AS i, m.row_hash AS h
