// A running job is still at work. Params: $job_id, $now (DateTime).
MATCH (j:Job {job_id: $job_id}) WHERE j.status IN ['queued', 'running']
SET j.heartbeat_at = $now
