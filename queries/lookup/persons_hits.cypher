// Persons matching a lookup, best first: the exact ID number (key), the exact phone (digits), or
// the name by full text (person_text, field name). Each branch is one index seek; a null parameter
// turns its branch off.
// Parameters: $id, $phone, $names (Lucene query on field name) String or null; $candidates Integer.
CALL () {
  MATCH (p:Person {person_id: $id})
  RETURN p.person_id AS key, 3.0e9 AS score, 'id' AS matched
  UNION ALL
  MATCH (p:Person) WHERE p.phone_norm = $phone
  RETURN p.person_id AS key, 2.0e9 AS score, 'phone' AS matched
  UNION ALL
  WITH $names AS q WHERE q IS NOT NULL
  CALL db.index.fulltext.queryNodes('person_text', q, {limit: $candidates}) YIELD node, score
  RETURN node.person_id AS key, score, 'name' AS matched
}
WITH key, max(score) AS score, head(collect(matched)) AS matched
RETURN key, score, matched
ORDER BY score DESC, key
LIMIT $candidates
