// Mark loads whose process is gone as interrupted (only if still 'running').
// Params: $load_ids [String], $now (DateTime), $reason (String).
UNWIND $load_ids AS id
MATCH (l:Load {load_id: id}) WHERE l.status = 'running'
SET l.status = 'interrupted', l.interrupted_at = $now, l.error = coalesce(l.error, $reason)
RETURN count(l) AS n
