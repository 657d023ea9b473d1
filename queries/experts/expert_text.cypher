// Full-text (cjk) hits on the profile text of experts only (index expert_text, see
// expert_text_index.cypher): at national scale experts are 1% of persons, so a limit over the
// all-person index (person_text) would leave only a handful of experts.
// $q: Lucene query (escaped by the caller); $limit: int.
CALL db.index.fulltext.queryNodes('expert_text', $q, {limit: $limit}) YIELD node, score
WHERE EXISTS { (node)-[:IS_EXPERT]->(:Expert) }
// One row of two lists: per-record decoding in the Python driver cost more than the search.
RETURN collect(node.person_id) AS ids, collect(score) AS scores
