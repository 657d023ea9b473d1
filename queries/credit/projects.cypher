// Projects led by each unit that were under way at some time in [$window_from, $as_of], by level.
// $as_of, $window_from: dates
MATCH (j:Project)-[:LED_BY]->(u:Unit)
WHERE (j.start_date IS NULL OR j.start_date <= $as_of) AND coalesce(j.end_date, $as_of) >= $window_from
RETURN u.unit_id AS unit_id, j.level AS level, count(j) AS n
