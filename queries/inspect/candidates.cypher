// Units that can be drawn for inspection, with what raises their risk weight.
// $province: string or null; $statuses: alert statuses that count (queries.alerts.COUNTING);
// $exclude_types: unit_type values not drawn unless the unit holds a qualification (not planning units)
MATCH (u:Unit)
WHERE ($province IS NULL OR u.province = $province)
  AND NOT (coalesce(u.unit_type, '') IN $exclude_types AND coalesce(u.grade, '无') IN ['无', ''])
OPTIONAL MATCH (a:Alert)-[:CONCERNS]->(u)
WHERE a.status IN $statuses
RETURN u.unit_id AS unit_id, u.name AS name, u.province AS province, u.credit_grade AS grade,
       count(DISTINCT a) AS alerts,
       count(DISTINCT CASE WHEN a.severity = 'high' THEN a END) AS high_alerts
ORDER BY unit_id
