// Is the person current staff of the unit: an employment or registration at the unit active on $today.
// (unit_hr scope: current staff only; former staff are no longer the unit's to look at.)
// Parameters: $person_id, $unit_id, $today (Date)
OPTIONAL MATCH (p:Person {person_id: $person_id})-[:HAS_EMPLOYMENT|HAS_REGISTRATION]->(r)-[:AT]->(:Org {unit_id: $unit_id})
WHERE coalesce(r.start_date, r.valid_from, $today) <= $today
  AND coalesce(r.end_date, r.valid_to, $today) >= $today
RETURN count(r) > 0 AS ok
