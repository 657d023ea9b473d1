// Audit events, newest first, optionally filtered.
// Parameters: $user_id, $action, $target (each may be null), $skip, $limit
MATCH (e:AuditEvent)
WHERE ($user_id IS NULL OR e.user_id = $user_id)
  AND ($action IS NULL OR e.action = $action)
  AND ($target IS NULL OR e.target = $target)
WITH e ORDER BY e.at DESC
WITH collect(e) AS events
RETURN size(events) AS count,
       [e IN events[$skip..($skip + $limit)] | e {.at, .user_id, .role, .action, .target, .detail}] AS data
