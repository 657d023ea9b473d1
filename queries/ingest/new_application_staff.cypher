// application_staff.csv rows without their DECLARES yet (fast path of ingest/writers.py: CREATE, no MERGE).
// Params: $rows [{application_id, person_id, line, h, p}] with distinct (application, person), $file, $load_id.
UNWIND $rows AS row
MATCH (a:Application {application_id: row.application_id})
MATCH (p:Person {person_id: row.person_id})
CREATE (a)-[d:DECLARES {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: datetime(), row_hash: row.h}]->(p)
SET d += row.p
