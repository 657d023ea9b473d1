// Take units off the yellow list. $rows: [{unit_id, entry_id, left, left_reason}]
UNWIND $rows AS row
MATCH (:Unit {unit_id: row.unit_id})-[:ON_YELLOW_LIST]->(e:YellowListEntry {entry_id: row.entry_id})
WHERE e.left IS NULL
SET e.left = row.left, e.left_reason = row.left_reason
