// A new job (queries/jobs.py): queued until the writer slot is free and every older job has run.
// Params: $job_id, $kind ('ingest' | 'refresh'), $stages [String], $requested_by, $owner (JSON text),
// $params (JSON text: files, as_of, snapshot, ...), $now (DateTime).
CREATE (j:Job {job_id: $job_id, kind: $kind, stages: $stages, status: 'queued', stage: null, requested_by: $requested_by,
               owner: $owner, params: $params, created_at: $now, heartbeat_at: $now, done_stages: [],
               progress_done: 0, progress_total: 0, progress_note: null})
