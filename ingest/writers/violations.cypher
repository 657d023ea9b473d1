// violations.csv. Params: $rows [{k: violation_id, line, h, p}], $file, $load_id, $loaded_at.
// AGAINST goes to a Person (subject_type 个人) or an Org (单位).
UNWIND $rows AS row
MERGE (v:Violation {violation_id: row.k})
WITH v, row WHERE v.row_hash IS NULL OR v.row_hash <> row.h
SET v += row.p, v.src_file = $file, v.src_line = row.line, v.load_id = $load_id, v.loaded_at = $loaded_at, v.row_hash = row.h
WITH v, row
CALL (v) { MATCH (v)-[old:AGAINST]->() DELETE old }
CALL (v, row) {
  WITH v, row WHERE row.p.subject_type = '个人'
  MATCH (p:Person {person_id: row.p.subject_id})
  CREATE (v)-[:AGAINST {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(p)
}
CALL (v, row) {
  WITH v, row WHERE row.p.subject_type = '单位'
  MATCH (o:Org {unit_id: row.p.subject_id})
  CREATE (v)-[:AGAINST {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(o)
}
