// One audit event (who, when, what). Parameters: $user_id, $role, $action, $target, $detail
CREATE (e:AuditEvent {at: datetime(), user_id: $user_id, role: $role, action: $action,
                      target: $target, detail: $detail})
RETURN e.at AS at
