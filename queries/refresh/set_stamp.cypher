// A refresh stage completed: the loads it took into account are those that ended before $started_at.
// Params: $stage, $started_at (DateTime), $as_of (Date).
MERGE (s:RefreshStamp {stage: $stage})
SET s.started_at = $started_at, s.as_of = $as_of
