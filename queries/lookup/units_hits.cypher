// Organisations matching a lookup, best first: the exact USCC (key), the exact phone (digits), or
// the name by full text (org_text). Each branch is one index seek; a null parameter turns it off.
// Parameters: $uscc, $phone, $names (Lucene query on field name) String or null; $candidates Integer.
CALL () {
  MATCH (o:Org {unit_id: $uscc})
  RETURN o.unit_id AS key, 3.0e9 AS score, 'uscc' AS matched
  UNION ALL
  MATCH (o:Org) WHERE o.phone_norm = $phone
  RETURN o.unit_id AS key, 2.0e9 AS score, 'phone' AS matched
  UNION ALL
  WITH $names AS q WHERE q IS NOT NULL
  CALL db.index.fulltext.queryNodes('org_text', q, {limit: $candidates}) YIELD node, score
  RETURN node.unit_id AS key, score, 'name' AS matched
}
WITH key, max(score) AS score, head(collect(matched)) AS matched
RETURN key, score, matched
ORDER BY score DESC, key
LIMIT $candidates
