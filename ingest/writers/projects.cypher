// projects.csv. Params: $rows [{k: project_id, line, h, p}], $file, $load_id, $loaded_at.
UNWIND $rows AS row
MERGE (j:Project {project_id: row.k})
WITH j, row WHERE j.row_hash IS NULL OR j.row_hash <> row.h
SET j += row.p, j.src_file = $file, j.src_line = row.line, j.load_id = $load_id, j.loaded_at = $loaded_at, j.row_hash = row.h
WITH j, row
CALL (j) { MATCH (j)-[old:LED_BY]->() DELETE old }
WITH j, row WHERE row.p.lead_unit_id IS NOT NULL
MATCH (o:Org {unit_id: row.p.lead_unit_id})
CREATE (j)-[:LED_BY {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(o)
