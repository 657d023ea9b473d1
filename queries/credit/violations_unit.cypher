// Violations against units decided in [$earliest, $as_of]; Python applies the exact repair period.
// $earliest, $as_of: dates
MATCH (v:Violation)-[:AGAINST]->(u:Unit)
WHERE v.decided IS NOT NULL AND $earliest <= v.decided <= $as_of
RETURN u.unit_id AS unit_id, v.violation_id AS violation_id, v.category AS category,
       v.severity AS severity, v.decided AS decided, v.points AS points
