// employments.csv rows whose record is not in the graph yet (the fast path of ingest/writers.py: plain CREATE,
// no MERGE; provenance goes into the CREATE pattern and the one map SET comes last, so the plan has a
// single Eager). Params: $rows [{k, line, h, p}] with distinct k, $file, $load_id.
UNWIND $rows AS row
CREATE (r:Employment {emp_id: row.k, src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: datetime(), row_hash: row.h})
WITH r, row
CALL (r, row) {
  MATCH (p:Person {person_id: row.p.person_id})
  MATCH (o:Org {unit_id: row.p.unit_id})
  CREATE (p)-[:HAS_EMPLOYMENT {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: datetime(), row_hash: row.h}]->(r)
  CREATE (r)-[:AT {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: datetime(), row_hash: row.h}]->(o)
}
SET r += row.p
