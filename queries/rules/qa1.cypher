// QA1 资质条件不达标 — units of grade 甲级 (乙级) that on $as_of have fewer than $a_staff ($b_staff)
// persons both employed there (employment active on $as_of) and insured by the unit or its parent
// in the month of $as_of, or fewer than $a_registered ($b_registered) of those persons holding a
// registration at the unit active on $as_of.
// Parameters:
//   $as_of                      Date
//   $a_staff, $a_registered     Integer  settings.detection.qa1_grade_a_* (40, 10)
//   $b_staff, $b_registered     Integer  settings.detection.qa1_grade_b_* (20, 4)
// ($person_id is accepted and ignored: the rule is about units, so a --person run skips it.)
MATCH (u:Unit) WHERE u.grade IN ['甲级', '乙级']
WITH u, date.truncate('month', $as_of) AS m,
     [u.unit_id, coalesce(u.parent_unit_id, head([(u)-[:OWNED_BY]->(par:Org) | par.unit_id]), u.unit_id)] AS payers
CALL (u, m, payers) {
  OPTIONAL MATCH (u)<-[:AT]-(e:Employment)<-[:HAS_EMPLOYMENT]-(p:Person)
  WHERE e.start_date <= $as_of AND (e.end_date IS NULL OR e.end_date >= $as_of)
    AND EXISTS {
      MATCH (p)-[:HAS_INSURANCE]->(i:Insurance)
      WHERE i.unit_id IN payers AND i.start_month <= m AND (i.end_month IS NULL OR i.end_month >= m) }
  WITH DISTINCT p
  WITH p, CASE WHEN p IS NOT NULL AND EXISTS {
      MATCH (p)-[:HAS_REGISTRATION]->(r:Registration)
      WHERE r.unit_id = u.unit_id AND r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of) }
    THEN 1 END AS reg
  RETURN count(p) AS staff, count(reg) AS registered
}
WITH u, staff, registered,
     CASE u.grade WHEN '甲级' THEN [$a_staff, $a_registered] ELSE [$b_staff, $b_registered] END AS req
WHERE staff < req[0] OR registered < req[1]
RETURN u.unit_id AS unit_id, u.grade AS grade, staff, registered,
       req[0] AS required_staff, req[1] AS required_registered
