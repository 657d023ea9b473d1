// One alert's status and what a decision on it needs: its rule, severity, summary, persons, units
// and the provinces of the units it concerns (a provincial inspector's scope).
// Parameters: $id (alert_id).
MATCH (a:Alert {alert_id: $id})
RETURN a.alert_id AS alert_id, a.status AS status, a.rule AS rule, a.severity AS severity, a.summary AS summary,
       a.person_ids AS person_ids, a.unit_ids AS unit_ids,
       COLLECT { MATCH (a)-[:CONCERNS]->(u:Unit) WHERE u.province IS NOT NULL RETURN DISTINCT u.province } AS provinces
