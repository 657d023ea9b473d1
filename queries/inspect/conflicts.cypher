// Ties of inspectors' persons to drawn units that force 回避: an employment, registration or
// insurance period at the unit active at some time in [$from, $as_of].
// $person_ids, $unit_ids: lists; $from, $as_of: dates ($from is the first day of its month)
MATCH (p:Person)-[:HAS_EMPLOYMENT|HAS_REGISTRATION|HAS_INSURANCE]->(r)-[:AT]->(o:Org)
WHERE p.person_id IN $person_ids AND o.unit_id IN $unit_ids
  AND coalesce(r.start_date, r.valid_from, r.start_month, $as_of) <= $as_of
  AND coalesce(r.end_date, r.valid_to, r.end_month, $as_of) >= $from
RETURN DISTINCT p.person_id AS person_id, o.unit_id AS unit_id, labels(r)[0] AS kind
ORDER BY person_id, unit_id, kind
