// Graded units, best first. $grade, $unit_id, $province: string or null
MATCH (u:Unit)
WHERE u.credit_grade IS NOT NULL
  AND ($grade IS NULL OR u.credit_grade = $grade)
  AND ($unit_id IS NULL OR u.unit_id = $unit_id)
  AND ($province IS NULL OR u.province = $province)
RETURN u.unit_id AS unit_id, u.name AS name, u.province AS province, u.region AS region,
       u.grade AS qualification, u.credit_grade AS grade, u.credit_index AS composite,
       u.credit_as_of AS as_of, u.credit_factors AS factors,
       EXISTS { (u)-[:ON_YELLOW_LIST]->(e:YellowListEntry) WHERE e.left IS NULL } AS yellow
ORDER BY composite DESC, unit_id
