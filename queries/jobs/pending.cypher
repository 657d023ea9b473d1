// Jobs not finished (queued or running), oldest first, with their owners and heartbeats. No parameters.
MATCH (j:Job) WHERE j.status IN ['queued', 'running']
RETURN j.job_id AS job_id, j.status AS status, j.owner AS owner, j.heartbeat_at AS heartbeat_at, j.created_at AS created_at
ORDER BY j.created_at, j.job_id
