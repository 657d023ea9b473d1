// Record the end of a load. Params: $load_id, $status ('done' | 'failed'), $files (JSON text: per file
// rows/loaded/unchanged/rejected/retired/...), $rows, $loaded, $unchanged, $rejected, $retired,
// $duration_s, $errors_path, $error (String or null), $notes (List<String>), $touched (List<String> or null:
// the persons whose records changed, null when too many), $broad (List<String>: kinds changed that concern
// many persons; queries/refresh.py), $projects (List<String> or null: the projects created or changed,
// null when too many), $now (DateTime).
MATCH (l:Load {load_id: $load_id})
SET l.finished_at = $now, l.status = $status, l.files = $files, l.rows = $rows, l.loaded = $loaded,
    l.unchanged = $unchanged, l.rejected = $rejected, l.retired = $retired, l.duration_s = $duration_s,
    l.errors_path = $errors_path, l.error = $error, l.notes = $notes, l.touched = $touched, l.broad = $broad,
    l.touched_projects = $projects
