// The loads that may have written since $since (all of them when null), with what they changed:
// status, touched (the persons whose records changed; null: too many, or never recorded) and broad
// (kinds changed that concern many persons), projects (the projects created or changed; null: too many,
// or never recorded). Params: $since (DateTime or null).
MATCH (l:Load)
WHERE $since IS NULL OR coalesce(l.finished_at, l.interrupted_at, l.heartbeat_at, l.started_at) >= $since
RETURN l.load_id AS load_id, l.status AS status, l.touched AS touched, coalesce(l.broad, []) AS broad,
       l.touched_projects AS projects
