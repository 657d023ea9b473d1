// Record a job's state (queries/jobs.py). Only the keys given change; `heartbeat_at` moves each time.
// Params: $job_id, $set (Map: status, stage, done_stages, progress_*, outcome, error, failed_stage,
// started_at, finished_at, ...), $now (DateTime).
MATCH (j:Job {job_id: $job_id})
SET j += $set, j.heartbeat_at = $now
