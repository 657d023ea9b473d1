// experts.csv. Params: $rows [{k: expert_id, line, h, p}], $file, $load_id, $loaded_at.
UNWIND $rows AS row
MERGE (e:Expert {expert_id: row.k})
WITH e, row WHERE e.row_hash IS NULL OR e.row_hash <> row.h
SET e += row.p, e.src_file = $file, e.src_line = row.line, e.load_id = $load_id, e.loaded_at = $loaded_at, e.row_hash = row.h
WITH e, row
CALL (e) { MATCH (e)<-[old:IS_EXPERT]-() DELETE old }
MATCH (p:Person {person_id: row.p.person_id})
CREATE (p)-[:IS_EXPERT {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(e)
