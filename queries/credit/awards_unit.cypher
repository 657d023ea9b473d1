// Awards to units from year $year_from to $year (inclusive).
// $year_from, $year: integers
MATCH (a:Award)-[:TO_UNIT]->(u:Unit)
WHERE a.year IS NOT NULL AND $year_from <= a.year <= $year
RETURN u.unit_id AS unit_id, a.award_id AS award_id, a.name AS name, a.level AS level, a.year AS year
