// Registered planners per unit: distinct persons with a registration there active on $as_of.
// $as_of: date; $unit_id, $province: string or null
MATCH (u:Unit)
WHERE ($unit_id IS NULL OR u.unit_id = $unit_id) AND ($province IS NULL OR u.province = $province)
OPTIONAL MATCH (r:Registration)-[:AT]->(u)
WHERE (r.valid_from IS NULL OR r.valid_from <= $as_of) AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN u.unit_id AS unit_id, coalesce(u.province, '未知') AS province, count(DISTINCT r.person_id) AS n
