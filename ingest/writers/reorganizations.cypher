// reorganizations.csv. Params: $rows [{k: reorg_id, line, h, p}], $file, $load_id, $loaded_at.
UNWIND $rows AS row
MERGE (r:Reorganization {reorg_id: row.k})
WITH r, row WHERE r.row_hash IS NULL OR r.row_hash <> row.h
SET r += row.p, r.src_file = $file, r.src_line = row.line, r.load_id = $load_id, r.loaded_at = $loaded_at, r.row_hash = row.h
WITH r, row
CALL (r) { MATCH (r)-[old:FROM|TO]->() DELETE old }
MATCH (a:Org {unit_id: row.p.from_unit_id})
MATCH (b:Org {unit_id: row.p.to_unit_id})
CREATE (r)-[:FROM {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(a)
CREATE (r)-[:TO {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(b)
