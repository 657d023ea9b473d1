// application_staff.csv rows without their DECLARES yet (fast path of ingest/writers.py: CREATE, no MERGE).
// Params: $rows [{application_id, person_id, line, h, p}] with distinct (application, person), $file, $load_id.
UNWIND $rows AS row
MATCH (a:Application {application_id: row.application_id})
MATCH (p:Person {person_id: row.person_id})
CREATE (a)-[d:DECLARES]->(p)
SET d += row.p, d.src_file = $file, d.src_line = row.line, d.load_id = $load_id, d.loaded_at = datetime(), d.row_hash = row.h
