// Projects matching a lookup, best first: the exact project code (key) or the name by full text
// (project_text, field name). Each branch is one index seek; a null parameter turns it off.
// Parameters: $project_id, $names (Lucene query on field name) String or null; $candidates Integer.
CALL () {
  MATCH (j:Project {project_id: $project_id})
  RETURN j.project_id AS key, 3.0e9 AS score, 'project_id' AS matched
  UNION ALL
  WITH $names AS q WHERE q IS NOT NULL
  CALL db.index.fulltext.queryNodes('project_text', q, {limit: $candidates}) YIELD node, score
  RETURN node.project_id AS key, score, 'name' AS matched
}
WITH key, max(score) AS score, head(collect(matched)) AS matched
RETURN key, score, matched
ORDER BY score DESC, key
LIMIT $candidates
