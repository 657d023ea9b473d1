// employments.csv rows whose record is not in the graph yet (the fast path of ingest/writers.py: plain CREATE, no MERGE).
// Every property is written in the CREATE pattern itself (no `SET n += row.p`, no Eager, one property
// write per record); the keys are exactly those of ingest.writers.to_row's `p` (tests/ingest check this),
// absent (null) values are simply not stored, as with `+=` on a new entity.
// Params: $rows [{k, line, h, p}] with distinct keys, $file, $load_id, $loaded_at (the batch's write time).
UNWIND $rows AS row
CREATE (r:Employment {person_id: row.p.person_id, unit_id: row.p.unit_id, start_date: row.p.start_date,
                      end_date: row.p.end_date, position: row.p.position, emp_id: row.p.emp_id,
                      src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h})
WITH r, row
CALL (r, row) {
  MATCH (p:Person {person_id: row.p.person_id})
  MATCH (o:Org {unit_id: row.p.unit_id})
  CREATE (p)-[:HAS_EMPLOYMENT {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(r)
  CREATE (r)-[:AT {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(o)
}
