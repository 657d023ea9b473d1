// One job. Params: $job_id.
MATCH (j:Job {job_id: $job_id})
RETURN j {.*} AS job
