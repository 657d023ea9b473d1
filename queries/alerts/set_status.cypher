// Change an alert's lifecycle status and record the event.
// Parameters: $alert_id, $from_status (the status read in the same transaction), $to_status,
//   $comment, $actor (Strings), $now (DateTime); $assignee (user_id) and $due (Date) of an
//   assignment; $deadline (Date) of a rectification; $outcome (JSON String) and $violation_id of
//   an outcome (each null when not part of this change).
MATCH (a:Alert {alert_id: $alert_id}) WHERE a.status = $from_status
SET a.status = $to_status, a.status_comment = $comment, a.status_actor = $actor, a.status_at = $now,
    a.assignee = CASE WHEN $to_status = 'assigned' THEN $assignee WHEN $to_status = 'open' THEN null ELSE a.assignee END,
    a.due = CASE WHEN $to_status = 'assigned' THEN $due WHEN $to_status = 'open' THEN null ELSE a.due END,
    a.deadline = CASE WHEN $to_status = 'rectification' THEN $deadline ELSE a.deadline END,
    a.outcome = coalesce($outcome, a.outcome),
    a.violation_id = coalesce($violation_id, a.violation_id),
    a.closed_at = null
CREATE (a)-[:HAS_EVENT]->(:AlertEvent {at: $now, actor: $actor, from_status: $from_status, to_status: $to_status,
                                       comment: $comment, assignee: $assignee, due: $due, outcome: $outcome})
RETURN a.alert_id AS alert_id
