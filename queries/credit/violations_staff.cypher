// Violations against persons who, on $as_of, are employed or registered at a unit (its current staff),
// decided in [$earliest, $as_of].
// $earliest, $as_of: dates
MATCH (v:Violation)-[:AGAINST]->(p:Person)
WHERE v.decided IS NOT NULL AND $earliest <= v.decided <= $as_of
MATCH (p)-[:HAS_EMPLOYMENT|HAS_REGISTRATION]->(r)-[:AT]->(u:Unit)
WHERE coalesce(r.start_date, r.valid_from, $as_of) <= $as_of
  AND coalesce(r.end_date, r.valid_to, $as_of) >= $as_of
RETURN DISTINCT u.unit_id AS unit_id, v.violation_id AS violation_id, v.category AS category,
       v.severity AS severity, v.decided AS decided, v.points AS points, p.person_id AS person_id
