// Audit events (who, when, what), several in one transaction (group commit, queries/audit.py).
// $events: list of {at: datetime, user_id, role, action, target, detail (JSON string or null)}
UNWIND $events AS ev
CREATE (:AuditEvent {at: ev.at, user_id: ev.user_id, role: ev.role, action: ev.action,
                     target: ev.target, detail: ev.detail})
