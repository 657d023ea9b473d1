// Nearest persons by profile embedding (cosine; score = (1 + cos) / 2), experts only.
// $k: int; $vector: list<float>.
CALL db.index.vector.queryNodes('person_embedding', $k, $vector) YIELD node, score
WHERE EXISTS { (node)-[:IS_EXPERT]->(:Expert) }
RETURN node.person_id AS person_id, score
