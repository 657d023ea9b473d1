// One alert with its status history (oldest event first).
// Parameters: $alert_id String.
MATCH (a:Alert {alert_id: $alert_id})
OPTIONAL MATCH (a)-[:HAS_EVENT]->(e:AlertEvent)
WITH a, e ORDER BY e.at, e.to_status
RETURN a {.*} AS alert, collect(e {.*}) AS events
