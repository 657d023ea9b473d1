// The per-file counts of a running load so far (after each file). Params: $load_id, $files (JSON text).
MATCH (l:Load {load_id: $load_id})
SET l.files = $files
