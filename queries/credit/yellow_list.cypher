// The yellow list: open entries, or every entry when $history is true.
// $history: boolean; $unit_id, $province: string or null
MATCH (u:Unit)-[:ON_YELLOW_LIST]->(e:YellowListEntry)
WHERE ($history OR e.left IS NULL) AND ($unit_id IS NULL OR u.unit_id = $unit_id)
  AND ($province IS NULL OR u.province = $province)
RETURN u.unit_id AS unit_id, u.name AS name, u.province AS province, u.region AS region,
       u.credit_grade AS grade, u.credit_index AS composite, e.entered AS entered, e.reason AS reason,
       e.reason_codes AS reason_codes, e.left AS left, e.left_reason AS left_reason
ORDER BY e.entered DESC, unit_id
