// awards.csv. Params: $rows [{k: award_id, line, h, p}], $file, $load_id, $loaded_at.
UNWIND $rows AS row
MERGE (w:Award {award_id: row.k})
WITH w, row WHERE w.row_hash IS NULL OR w.row_hash <> row.h
SET w += row.p, w.src_file = $file, w.src_line = row.line, w.load_id = $load_id, w.loaded_at = $loaded_at, w.row_hash = row.h
WITH w, row
CALL (w) { MATCH (w)-[old:FOR_PROJECT|TO_UNIT|TO_PERSON]->() DELETE old }
CALL (w, row) {
  WITH w, row WHERE row.p.project_id IS NOT NULL
  MATCH (j:Project {project_id: row.p.project_id})
  CREATE (w)-[:FOR_PROJECT {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(j)
}
CALL (w, row) {
  WITH w, row WHERE row.p.unit_id IS NOT NULL
  MATCH (o:Org {unit_id: row.p.unit_id})
  CREATE (w)-[:TO_UNIT {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(o)
}
CALL (w, row) {
  UNWIND coalesce(row.p.person_ids, []) AS pid
  MATCH (p:Person {person_id: pid})
  CREATE (w)-[:TO_PERSON {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(p)
}
