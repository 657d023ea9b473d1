// Violations against registered planners decided in [$earliest, $as_of].
// $earliest, $as_of: dates
MATCH (v:Violation)-[:AGAINST]->(p:Person)
WHERE v.decided IS NOT NULL AND $earliest <= v.decided <= $as_of
  AND EXISTS { (p)-[:HAS_REGISTRATION]->() }
RETURN p.person_id AS person_id, v.violation_id AS violation_id, v.category AS category,
       v.severity AS severity, v.decided AS decided, v.points AS points
