// Record a dispute's outcome. Parameters: $dispute_id, $status (upheld|rejected), $comment, $user_id; $now DateTime.
MATCH (d:Dispute {dispute_id: $dispute_id, status: 'open'})
SET d.status = $status, d.resolution = $comment, d.resolved_by = $user_id, d.resolved_at = $now
