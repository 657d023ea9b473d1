// registrations.csv. Params: $rows [{k: reg_id, line, h, p}], $file, $load_id, $loaded_at.
// The record node with Person -[:HAS_REGISTRATION]-> record -[:AT]-> Org; relationships are replaced only
// when the row's hash changed (the person of a record may change with the row).
UNWIND $rows AS row
MERGE (r:Registration {reg_id: row.k})
WITH r, row WHERE r.row_hash IS NULL OR r.row_hash <> row.h
SET r += row.p, r.src_file = $file, r.src_line = row.line, r.load_id = $load_id, r.loaded_at = $loaded_at, r.row_hash = row.h
WITH r, row
CALL (r) { MATCH (r)<-[old:HAS_REGISTRATION]-() DELETE old }
CALL (r) { MATCH (r)-[old:AT]->() DELETE old }
MATCH (p:Person {person_id: row.p.person_id})
MATCH (o:Org {unit_id: row.p.unit_id})
CREATE (p)-[:HAS_REGISTRATION {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(r)
CREATE (r)-[:AT {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(o)
