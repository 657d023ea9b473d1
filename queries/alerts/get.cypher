// One alert with its status history (oldest event first) and the provinces of the units it concerns.
// Parameters: $alert_id String.
MATCH (a:Alert {alert_id: $alert_id})
OPTIONAL MATCH (a)-[:HAS_EVENT]->(e:AlertEvent)
WITH a, e ORDER BY e.at, e.to_status
RETURN a {.*} AS alert,
       collect(e {.at, .actor, .from_status, .to_status, .assignee, .due, .outcome,
                  comment: coalesce(e.comment, e.reason)}) AS events,
       COLLECT { MATCH (a)-[:CONCERNS]->(u:Unit) WHERE u.province IS NOT NULL RETURN DISTINCT u.province } AS provinces
