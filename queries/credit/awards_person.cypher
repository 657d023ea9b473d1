// Awards to registered planners from year $year_from to $year (inclusive).
// $year_from, $year: integers
MATCH (a:Award)-[:TO_PERSON]->(p:Person)
WHERE a.year IS NOT NULL AND $year_from <= a.year <= $year
  AND EXISTS { (p)-[:HAS_REGISTRATION]->() }
RETURN p.person_id AS person_id, a.award_id AS award_id, a.name AS name, a.level AS level, a.year AS year
