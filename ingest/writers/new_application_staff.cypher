// application_staff.csv rows without their DECLARES yet (the fast path of ingest/writers.py: plain CREATE, no MERGE).
// Every property is written in the CREATE pattern itself (no `SET n += row.p`, no Eager, one property
// write per record); the keys are exactly those of ingest.writers.to_row's `p` (tests/ingest check this),
// absent (null) values are simply not stored, as with `+=` on a new entity.
// Params: $rows [{application_id, person_id, line, h, p: {role}}] with distinct keys, $file, $load_id, $loaded_at (the batch's write time).
UNWIND $rows AS row
MATCH (a:Application {application_id: row.application_id})
MATCH (p:Person {person_id: row.person_id})
CREATE (a)-[:DECLARES {role: row.p.role, src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(p)
