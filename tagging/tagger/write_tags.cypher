// Replace the tags of a batch of persons and store their profile text and hash.
// $rows: list of {person_id, profile_text, profile_hash, tags: [{tag_id, weight, evidence}]}; $now: datetime.
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
SET p.profile_text = row.profile_text, p.profile_hash = row.profile_hash
WITH p, row
CALL (p) {
  MATCH (p)-[old:HAS_TAG]->(:Tag)
  DELETE old
}
WITH p, row
UNWIND row.tags AS t
MATCH (tag:Tag {tag_id: t.tag_id})
CREATE (p)-[:HAS_TAG {weight: t.weight, evidence: t.evidence, updated_at: $now}]->(tag)
