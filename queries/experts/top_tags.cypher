// The strongest tags of a page of persons (search results).
// $ids: list of person_id.
UNWIND $ids AS pid
MATCH (p:Person {person_id: pid})
RETURN pid AS person_id,
       COLLECT { MATCH (p)-[r:HAS_TAG]->(t:Tag) RETURN {tag_id: t.tag_id, label: t.label, kind: t.kind, weight: r.weight}
                 ORDER BY r.weight DESC LIMIT 8 } AS top_tags
