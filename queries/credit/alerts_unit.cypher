// Alerts concerning each unit with a status in $statuses and a severity in $severities.
// $statuses, $severities: lists of strings
MATCH (a:Alert)-[:CONCERNS]->(u:Unit)
WHERE a.status IN $statuses AND a.severity IN $severities
RETURN u.unit_id AS unit_id, count(DISTINCT a) AS n, collect(DISTINCT a.rule) AS rules
