// Index hits of a lookup for the three kinds at once, best first, at most $candidates each. Every
// branch is one index seek (a key, a range index, or a full-text index asked on its name field); a
// null parameter turns its branch off, so a text costs one seek per kind.
// Parameters: $id (ID number), $uscc, $phone (digits), $project_id, $names (Lucene query on field
//   name) — String or null; $candidates Integer.
CALL () {
  CALL () {
    MATCH (p:Person {person_id: $id}) RETURN p.person_id AS key, 3.0e9 AS score, 'id' AS matched
    UNION ALL
    MATCH (p:Person) WHERE p.phone_norm = $phone RETURN p.person_id AS key, 2.0e9 AS score, 'phone' AS matched
    UNION ALL
    WITH $names AS q WHERE q IS NOT NULL
    CALL db.index.fulltext.queryNodes('person_text', q, {limit: $candidates}) YIELD node, score
    RETURN node.person_id AS key, score, 'name' AS matched
  }
  WITH key, max(score) AS score, head(collect(matched)) AS matched ORDER BY score DESC, key LIMIT $candidates
  RETURN collect({key: key, matched: matched}) AS persons
}
CALL () {
  CALL () {
    MATCH (o:Org {unit_id: $uscc}) RETURN o.unit_id AS key, 3.0e9 AS score, 'uscc' AS matched
    UNION ALL
    MATCH (o:Org) WHERE o.phone_norm = $phone RETURN o.unit_id AS key, 2.0e9 AS score, 'phone' AS matched
    UNION ALL
    WITH $names AS q WHERE q IS NOT NULL
    CALL db.index.fulltext.queryNodes('org_text', q, {limit: $candidates}) YIELD node, score
    RETURN node.unit_id AS key, score, 'name' AS matched
  }
  WITH key, max(score) AS score, head(collect(matched)) AS matched ORDER BY score DESC, key LIMIT $candidates
  RETURN collect({key: key, matched: matched}) AS units
}
CALL () {
  CALL () {
    MATCH (j:Project {project_id: $project_id}) RETURN j.project_id AS key, 3.0e9 AS score, 'project_id' AS matched
    UNION ALL
    WITH $names AS q WHERE q IS NOT NULL
    CALL db.index.fulltext.queryNodes('project_text', q, {limit: $candidates}) YIELD node, score
    RETURN node.project_id AS key, score, 'name' AS matched
  }
  WITH key, max(score) AS score, head(collect(matched)) AS matched ORDER BY score DESC, key LIMIT $candidates
  RETURN collect({key: key, matched: matched}) AS projects
}
RETURN persons, units, projects
