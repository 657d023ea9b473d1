// project_members.csv rows without their MEMBER_OF yet (the fast path of ingest/writers.py: plain CREATE, no MERGE).
// Every property is written in the CREATE pattern itself (no `SET n += row.p`, no Eager, one property
// write per record); the keys are exactly those of ingest.writers.to_row's `p` (tests/ingest check this),
// absent (null) values are simply not stored, as with `+=` on a new entity.
// Params: $rows [{project_id, person_id, role, line, h, p: {unit_id, role}}] with distinct keys, $file, $load_id, $loaded_at (the batch's write time).
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (j:Project {project_id: row.project_id})
CREATE (p)-[:MEMBER_OF {role: row.p.role, unit_id: row.p.unit_id,
                        src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(j)
