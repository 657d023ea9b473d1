// Expert.fields lists the importer's CSV cannot hold (empty, or an item holding the array delimiter),
// set after a bulk import as experts.cypher sets them. Params: $rows [{k: expert_id, v: [string]}].
UNWIND $rows AS row
MATCH (e:Expert {expert_id: row.k})
SET e.fields = row.v
