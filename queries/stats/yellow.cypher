// Units on the yellow list now, by province. $unit_id, $province: string or null
MATCH (u:Unit)-[:ON_YELLOW_LIST]->(e:YellowListEntry)
WHERE e.left IS NULL AND ($unit_id IS NULL OR u.unit_id = $unit_id) AND ($province IS NULL OR u.province = $province)
RETURN coalesce(u.province, '未知') AS province, count(DISTINCT u) AS n
