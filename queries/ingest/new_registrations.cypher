// registrations.csv rows whose record is not in the graph yet (the fast path of ingest/writers.py: plain CREATE,
// no MERGE, no Eager). Params: $rows [{k, line, h, p}] with distinct k, $file, $load_id.
UNWIND $rows AS row
CREATE (r:Registration {reg_id: row.k})
SET r += row.p, r.src_file = $file, r.src_line = row.line, r.load_id = $load_id, r.loaded_at = datetime(), r.row_hash = row.h
WITH r, row
MATCH (p:Person {person_id: row.p.person_id})
MATCH (o:Org {unit_id: row.p.unit_id})
CREATE (p)-[:HAS_REGISTRATION {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: datetime(), row_hash: row.h}]->(r)
CREATE (r)-[:AT {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: datetime(), row_hash: row.h}]->(o)
