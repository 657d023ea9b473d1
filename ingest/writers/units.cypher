// units.csv. Params: $rows [{k: unit_id, line, h: row_hash, p: properties}], $file, $load_id, $loaded_at.
// An org created earlier as external gains :Unit and external=false. Properties and OWNED_BY
// are (re)written only when the row's hash differs, so a second load changes nothing.
UNWIND $rows AS row
MERGE (o:Org {unit_id: row.k})
WITH o, row WHERE o.row_hash IS NULL OR o.row_hash <> row.h OR o.external
SET o:Unit, o += row.p, o.external = false, o.src_file = $file, o.src_line = row.line, o.load_id = $load_id, o.loaded_at = $loaded_at, o.row_hash = row.h
WITH o, row
CALL (o) { MATCH (o)-[old:OWNED_BY]->() DELETE old }
WITH o, row WHERE row.p.parent_unit_id IS NOT NULL
MATCH (parent:Org {unit_id: row.p.parent_unit_id})
CREATE (o)-[:OWNED_BY {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(parent)
