// Loads the journal still shows as running, with their owners and heartbeats. No parameters.
MATCH (l:Load {status: 'running'})
RETURN l.load_id AS load_id, l.owner AS owner, l.heartbeat_at AS heartbeat_at
