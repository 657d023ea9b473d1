// Record the start of an ingest run. Params: $load_id, $dir, $files (JSON text: the input files).
CREATE (l:Load {load_id: $load_id, dir: $dir, started_at: datetime(), status: 'running', files: $files})
