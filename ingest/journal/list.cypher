// The journal, newest first. Params: $limit (Integer), $load_id (String or null: only that load).
// Without the lists kept for the refresh (persons, projects: up to 50,000 ids a load), which no listing shows.
MATCH (l:Load)
WHERE $load_id IS NULL OR l.load_id = $load_id
RETURN l {.*, touched: null, touched_projects: null} AS load
ORDER BY l.started_at DESC, l.load_id DESC
LIMIT $limit
