// Staff with a senior title (title contains one of $keywords) employed at the unit on $as_of.
// $as_of: date; $keywords: list of strings (高级, 教授, 研究员)
MATCH (p:Person)-[:HAS_EMPLOYMENT]->(e:Employment)-[:AT]->(u:Unit)
WHERE p.title IS NOT NULL AND any(k IN $keywords WHERE p.title CONTAINS k)
  AND (e.start_date IS NULL OR e.start_date <= $as_of) AND (e.end_date IS NULL OR e.end_date >= $as_of)
RETURN u.unit_id AS unit_id, count(DISTINCT p) AS n
