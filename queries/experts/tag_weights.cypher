// Tag weights of experts for the given tags.
// $tag_ids: list of tag_id.
MATCH (t:Tag) WHERE t.tag_id IN $tag_ids
MATCH (p:Person)-[r:HAS_TAG]->(t)
WHERE EXISTS { (p)-[:IS_EXPERT]->(:Expert) }
RETURN p.person_id AS person_id, t.tag_id AS tag_id, t.label AS label, r.weight AS weight
