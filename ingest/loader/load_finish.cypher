// Record the end of an ingest run. Params: $load_id, $status, $files (JSON: per file rows/loaded/
// rejected/seconds), $rows, $loaded, $rejected, $duration_s, $errors_path.
MATCH (l:Load {load_id: $load_id})
SET l.finished_at = datetime(), l.status = $status, l.files = $files, l.rows = $rows,
    l.loaded = $loaded, l.rejected = $rejected, l.duration_s = $duration_s, l.errors_path = $errors_path
