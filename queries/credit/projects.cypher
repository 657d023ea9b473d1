// Projects led by each unit that were under way at some time in [$window_from, $as_of], by level
// (one row per unit: levels = [[level, count], ...]).
// $as_of, $window_from: dates
MATCH (j:Project)-[:LED_BY]->(u:Unit)
WHERE (j.start_date IS NULL OR j.start_date <= $as_of) AND coalesce(j.end_date, $as_of) >= $window_from
WITH u.unit_id AS unit_id, j.level AS level, count(j) AS n
RETURN unit_id, collect([level, n]) AS levels
