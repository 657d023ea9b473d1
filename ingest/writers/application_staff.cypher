// application_staff.csv. Params: $rows [{application_id, person_id, line, h, p: {role}}], $file,
// $load_id, $loaded_at. One DECLARES per (application, person).
UNWIND $rows AS row
MATCH (a:Application {application_id: row.application_id})
MATCH (p:Person {person_id: row.person_id})
MERGE (a)-[d:DECLARES]->(p)
WITH d, row WHERE d.row_hash IS NULL OR d.row_hash <> row.h
SET d += row.p, d.src_file = $file, d.src_line = row.line, d.load_id = $load_id, d.loaded_at = $loaded_at, d.row_hash = row.h
