// A unit with its headline figures, projects, awards and violations.
// Parameters: $unit_id, $today (Date)
MATCH (u:Org {unit_id: $unit_id})
OPTIONAL MATCH (u)-[:OWNED_BY]->(parent:Org)
CALL (u) {
  OPTIONAL MATCH (u)<-[:AT]-(e:Employment)
  WHERE coalesce(e.start_date, $today) <= $today AND coalesce(e.end_date, $today) >= $today
  RETURN count(DISTINCT e.person_id) AS staff_current
}
CALL (u) {
  OPTIONAL MATCH (u)<-[:AT]-(r:Registration)
  WHERE coalesce(r.valid_from, $today) <= $today AND coalesce(r.valid_to, $today) >= $today
  RETURN count(DISTINCT r.person_id) AS registered_current
}
CALL (u) {
  OPTIONAL MATCH (u)<-[:AT]-(i:Insurance)
  WHERE i.start_month <= $today AND coalesce(i.end_month, $today) >= date.truncate('month', $today)
  RETURN count(DISTINCT i.person_id) AS insured_current
}
CALL (u) {
  OPTIONAL MATCH (pr:Project)-[:LED_BY]->(u)
  WITH pr ORDER BY pr.start_date DESC
  RETURN count(pr) AS project_count,
         collect(pr {.project_id, .name, .level, .plan_type, .province, .city, .start_date, .end_date, .status})[0..50] AS projects
}
CALL (u) {
  OPTIONAL MATCH (a:Award)-[:TO_UNIT]->(u)
  WITH a ORDER BY a.year DESC
  RETURN collect(a {.award_id, .name, .level, .year, .project_id})[0..50] AS awards
}
CALL (u) {
  OPTIONAL MATCH (v:Violation)-[:AGAINST]->(u)
  WITH v ORDER BY v.decided DESC
  RETURN collect(v {.violation_id, .category, .severity, .decided, .authority, .penalty, .points, .description}) AS violations
}
RETURN u {.*, is_unit: u:Unit} AS unit, parent {.unit_id, .name} AS parent,
       staff_current, registered_current, insured_current, project_count, projects, awards, violations
