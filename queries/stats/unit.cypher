// Dashboard figures of one unit (the unit_hr view of /api/stats). Parameters: $unit_id, $today (Date)
MATCH (u:Org {unit_id: $unit_id})
CALL (u) {
  OPTIONAL MATCH (u)<-[:AT]-(r)<-[:HAS_EMPLOYMENT|HAS_REGISTRATION]-(p:Person)
  WHERE coalesce(r.start_date, r.valid_from, $today) <= $today
    AND coalesce(r.end_date, r.valid_to, $today) >= $today
  WITH DISTINCT p
  OPTIONAL MATCH (p)-[:IS_EXPERT]->(x:Expert)
  RETURN count(p) AS staff, count(x) AS experts,
         collect(coalesce(p.title, '未填')) AS titles, collect(coalesce(p.education, '未填')) AS educations
}
CALL (u) {
  OPTIONAL MATCH (u)<-[:AT]-(r:Registration)
  WHERE coalesce(r.valid_from, $today) <= $today AND coalesce(r.valid_to, $today) >= $today
  RETURN count(DISTINCT r.person_id) AS registered
}
CALL (u) {
  OPTIONAL MATCH (pr:Project)-[:LED_BY]->(u)
  RETURN count(pr) AS projects, collect(coalesce(pr.level, '未填')) AS levels,
         collect(coalesce(pr.plan_type, '未填')) AS plan_types
}
RETURN u.unit_id AS unit_id, u.name AS name, u.grade AS grade, u.credit_grade AS credit_grade,
       staff, experts, registered, projects, titles, educations, levels, plan_types
