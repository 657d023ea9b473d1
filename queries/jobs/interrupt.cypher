// Jobs whose process is gone: interrupted (their uploaded files went with it). Params: $job_ids, $now, $reason.
UNWIND $job_ids AS id
MATCH (j:Job {job_id: id}) WHERE j.status IN ['queued', 'running']
SET j.status = 'interrupted', j.finished_at = $now, j.error = $reason, j.failed_stage = j.stage
RETURN count(j) AS n
