// applications.csv. Params: $rows [{k: application_id, line, h, p}], $file, $load_id, $loaded_at.
UNWIND $rows AS row
MERGE (a:Application {application_id: row.k})
WITH a, row WHERE a.row_hash IS NULL OR a.row_hash <> row.h
SET a += row.p, a.src_file = $file, a.src_line = row.line, a.load_id = $load_id, a.loaded_at = $loaded_at, a.row_hash = row.h
WITH a, row
CALL (a) { MATCH (a)-[old:BY]->() DELETE old }
MATCH (o:Org {unit_id: row.p.unit_id})
CREATE (a)-[:BY {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(o)
