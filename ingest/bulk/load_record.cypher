// The journal entry of a bulk load, written once it is in the graph (the transactional loader writes
// ingest/load_start then ingest/load_finish). Params: $load_id, $dir, $started_at, $files (JSON: per file
// rows/loaded/rejected/seconds), $rows, $loaded, $rejected, $duration_s, $errors_path.
CREATE (l:Load {load_id: $load_id, dir: $dir, started_at: $started_at, finished_at: datetime(), status: 'done',
                mode: 'bulk', files: $files, rows: $rows, loaded: $loaded, rejected: $rejected,
                duration_s: $duration_s, errors_path: $errors_path})
