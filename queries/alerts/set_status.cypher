// Change an alert's workflow status and record the event.
// Parameters: $alert_id, $from_status (the status read in the same transaction), $to_status,
//   $reason, $actor (Strings), $now (DateTime).
MATCH (a:Alert {alert_id: $alert_id}) WHERE a.status = $from_status
SET a.status = $to_status, a.status_reason = $reason, a.status_actor = $actor, a.status_at = $now,
    a.closed_at = CASE WHEN $to_status = 'closed' THEN $now ELSE null END
CREATE (a)-[:HAS_EVENT]->(:AlertEvent {at: $now, actor: $actor, from_status: $from_status,
                                       to_status: $to_status, reason: $reason})
RETURN a.alert_id AS alert_id
