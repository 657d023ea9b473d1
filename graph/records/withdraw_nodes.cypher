// Withdraw loaded record nodes of any kind (graph/records.py `withdraw`; a snapshot load retiring what an
// extract no longer holds): the kind's labels give way to Withdrawn, with kind, record_id, withdrawn
// ($reason), withdrawn_at, withdrawn_by and withdrawn_labels (the labels it had); a record's own `kind`
// value (a reorganization's) is kept as own_kind. Every relationship a load wrote to or from the node
// (it has src_file) changes type as in withdraw_node.cypher: from a person to its record (HAS_…,
// IS_EXPERT) -> HAD, any other T -> WAS_T; each keeps its properties and gets `type` (the old type).
// Nodes already withdrawn, or not from a load, are skipped.
// Params: $items [{eid, record_id}], $labels [String] (the kind's labels), $kind (String), $reason,
// $by (the load or decision), $at (DateTime).
UNWIND $items AS it
MATCH (n) WHERE elementId(n) = it.eid AND n.src_file IS NOT NULL AND NOT n:Withdrawn
WITH n, it, [l IN labels(n) WHERE l IN $labels] AS old
WHERE size(old) > 0
REMOVE n:$(old)
SET n.own_kind = n.kind
SET n:Withdrawn, n.kind = $kind, n.record_id = it.record_id, n.withdrawn = $reason, n.withdrawn_at = $at,
    n.withdrawn_by = $by, n.withdrawn_labels = old
WITH n
CALL (n) {
  MATCH (n)-[r]->(m) WHERE r.src_file IS NOT NULL AND type(r) <> 'HAD' AND NOT type(r) STARTS WITH 'WAS_'
  CREATE (n)-[w:$('WAS_' + type(r))]->(m)
  SET w = properties(r), w.type = type(r)
  DELETE r
}
CALL (n) {
  MATCH (n)<-[r]-(m) WHERE r.src_file IS NOT NULL AND type(r) <> 'HAD' AND NOT type(r) STARTS WITH 'WAS_'
  WITH n, m, r, CASE WHEN type(r) STARTS WITH 'HAS_' OR type(r) = 'IS_EXPERT' THEN 'HAD' ELSE 'WAS_' + type(r) END AS t
  CREATE (m)-[w:$(t)]->(n)
  SET w = properties(r), w.type = type(r), w.kind = n.kind
  DELETE r
}
RETURN count(n) AS n, [x IN collect(n.person_id) WHERE x IS NOT NULL] AS persons
