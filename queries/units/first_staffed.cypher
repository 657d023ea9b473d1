// The planning unit the demo's unit HR user sits in: a qualified unit (甲级/乙级, not a 机关) with the
// most planners registered there today, ties by code. No parameters but $today (Date).
MATCH (u:Unit)<-[:AT]-(r:Registration)
WHERE u.grade IN ['甲级', '乙级'] AND coalesce(u.unit_type, '') <> '机关'
  AND r.valid_from <= $today AND (r.valid_to IS NULL OR r.valid_to >= $today)
WITH u, count(DISTINCT r.person_id) AS registered
RETURN u.unit_id AS unit_id
ORDER BY registered DESC, unit_id
LIMIT 1
