// Set a person's record node aside (graph/records.py): kind label -> Withdrawn, HAS_… -> HAD, AT -> WAS_AT,
// properties kept, withdrawn/withdrawn_at/withdrawn_by/record_id/kind added.
// Parameters: $person_id, $rel, $label, $key (from graph.records.KINDS), $id (the key), $kind,
//   $reason (set_aside | retired), $by (dispute_id or load_id), $at (DateTime).
MATCH (p:Person {person_id: $person_id})-[h:$($rel)]->(r:$($label))
WHERE r[$key] = $id
REMOVE r:$($label)
SET r:Withdrawn, r.kind = $kind, r.record_id = $id, r.withdrawn = $reason, r.withdrawn_at = $at, r.withdrawn_by = $by
CREATE (p)-[had:HAD]->(r)
SET had = properties(h), had.kind = $kind
DELETE h
WITH r
CALL (r) {
  MATCH (r)-[a:AT]->(o)
  CREATE (r)-[w:WAS_AT]->(o)
  SET w = properties(a)
  DELETE a
}
RETURN count(r) AS n
