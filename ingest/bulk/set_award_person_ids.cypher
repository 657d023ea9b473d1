// Award.person_ids lists the importer's CSV cannot hold (empty, or an item holding the array delimiter),
// set after a bulk import as awards.cypher sets them. Params: $rows [{k: award_id, v: [string]}].
UNWIND $rows AS row
MATCH (w:Award {award_id: row.k})
SET w.person_ids = row.v
