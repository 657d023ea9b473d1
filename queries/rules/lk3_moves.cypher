// LK3 人员循环圈 (2/2) — moves between units of a candidate community.
// A move is an employment at unit B whose predecessor (the person's employments ordered by
// start_date, then emp_id) is at a different unit A; both A and B must be in $unit_ids.
// Parameters:
//   $as_of     Date          detection date (employments starting after it are ignored)
//   $unit_ids  List<String>  the units of the candidate communities
MATCH (b:Org) WHERE b.unit_id IN $unit_ids
MATCH (b)<-[:AT]-(e:Employment)<-[:HAS_EMPLOYMENT]-(p:Person)
WHERE e.start_date <= $as_of
CALL (p, e) {
  MATCH (p)-[:HAS_EMPLOYMENT]->(prev:Employment)
  WHERE prev.start_date < e.start_date OR (prev.start_date = e.start_date AND prev.emp_id < e.emp_id)
  RETURN prev ORDER BY prev.start_date DESC, prev.emp_id DESC LIMIT 1
}
WITH b, e, p, prev
WHERE prev.unit_id <> b.unit_id AND prev.unit_id IN $unit_ids
RETURN p.person_id AS person_id, prev.unit_id AS from_id, b.unit_id AS to_id,
       prev.emp_id AS prev_id, e.emp_id AS emp_id, e.start_date AS date
ORDER BY person_id, date
