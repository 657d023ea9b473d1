// Registered planners per unit: distinct persons with a registration at the unit active on $as_of.
// $as_of: date
MATCH (r:Registration)-[:AT]->(u:Unit)
WHERE (r.valid_from IS NULL OR r.valid_from <= $as_of) AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN u.unit_id AS unit_id, count(DISTINCT r.person_id) AS n
