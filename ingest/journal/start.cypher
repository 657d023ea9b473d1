// Record the start of a load in the journal.
// Params: $load_id, $folder (String), $mode ('add' | 'snapshot' | 'bulk'), $files (JSON text: the input files),
// $owner (JSON text: graph.process.Owner), $now (DateTime).
CREATE (l:Load {load_id: $load_id, folder: $folder, mode: $mode, started_at: $now, heartbeat_at: $now,
                status: 'running', files: $files, owner: $owner})
