// persons.csv. Params: $rows [{k: person_id, line, h, p}], $file, $load_id, $loaded_at.
// += keeps properties added later by tagging (profile_text, embedding, ...).
UNWIND $rows AS row
MERGE (n:Person {person_id: row.k})
WITH n, row WHERE n.row_hash IS NULL OR n.row_hash <> row.h
SET n += row.p, n.src_file = $file, n.src_line = row.line, n.load_id = $load_id, n.loaded_at = $loaded_at, n.row_hash = row.h
