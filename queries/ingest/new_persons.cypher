// persons.csv rows not in the graph yet (fast path of ingest/writers.py: CREATE, no MERGE; the map SET
// comes last so the plan has a single Eager). Params: $rows [{k, line, h, p}] with distinct k, $file, $load_id.
UNWIND $rows AS row
CREATE (n:Person {person_id: row.k, src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: datetime(), row_hash: row.h})
SET n += row.p
