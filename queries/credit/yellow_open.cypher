// Yellow-list entries still open (not left). No parameters.
MATCH (u:Unit)-[:ON_YELLOW_LIST]->(e:YellowListEntry)
WHERE e.left IS NULL
RETURN u.unit_id AS unit_id, e.entry_id AS entry_id, e.entered AS entered, e.reason AS reason
