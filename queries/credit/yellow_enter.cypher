// Put units on the yellow list. $rows: [{unit_id, entry_id, entered, reason, codes}]
UNWIND $rows AS row
MATCH (u:Unit {unit_id: row.unit_id})
MERGE (u)-[:ON_YELLOW_LIST]->(e:YellowListEntry {entry_id: row.entry_id})
ON CREATE SET e.unit_id = row.unit_id, e.entered = row.entered, e.reason = row.reason,
              e.reason_codes = row.codes
