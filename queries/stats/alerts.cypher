// Alerts by rule, severity, status and the provinces of the units they concern.
// $unit_id: string or null (alerts concerning that unit); $province: string or null (alerts with a unit there)
MATCH (a:Alert)
WHERE ($unit_id IS NULL OR EXISTS { (a)-[:CONCERNS]->(:Org {unit_id: $unit_id}) })
  AND ($province IS NULL OR EXISTS { (a)-[:CONCERNS]->(:Unit {province: $province}) })
OPTIONAL MATCH (a)-[:CONCERNS]->(u:Unit)
WITH a, collect(DISTINCT u.province) AS provinces
RETURN a.rule AS rule, coalesce(a.severity, '未知') AS severity, coalesce(a.status, 'open') AS status,
       provinces, count(a) AS n
