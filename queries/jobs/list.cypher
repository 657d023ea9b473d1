// The newest jobs. Params: $limit (Integer).
MATCH (j:Job)
RETURN j {.*} AS job
ORDER BY j.created_at DESC
LIMIT $limit
