// Full-text (cjk) hits on Person name/bio/profile_text, experts only.
// $q: Lucene query (escaped by the caller); $limit: int.
CALL db.index.fulltext.queryNodes('person_text', $q, {limit: $limit}) YIELD node, score
WHERE EXISTS { (node)-[:IS_EXPERT]->(:Expert) }
// One row of two lists: per-record decoding in the Python driver cost more than the search.
RETURN collect(node.person_id) AS ids, collect(score) AS scores
