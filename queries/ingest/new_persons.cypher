// persons.csv rows not in the graph yet (fast path of ingest/writers.py). Params: $rows [{k, line, h, p}]
// with distinct k, $file, $load_id.
UNWIND $rows AS row
CREATE (n:Person {person_id: row.k})
SET n += row.p, n.src_file = $file, n.src_line = row.line, n.load_id = $load_id, n.loaded_at = datetime(), n.row_hash = row.h
