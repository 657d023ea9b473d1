// The units of $ids in a province (units.csv units only: external organisations have no province).
// Parameters: $ids List<String>; $province String.
UNWIND $ids AS uid
MATCH (u:Unit {unit_id: uid})
WHERE u.province = $province
RETURN u.unit_id AS unit_id
