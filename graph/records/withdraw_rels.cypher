// Withdraw loaded relationship records (MEMBER_OF, DECLARES) (graph/records.py `withdraw`): each becomes
// WAS_<type> between the same nodes, with its properties, record_id, withdrawn ($reason), withdrawn_at
// and withdrawn_by — as withdraw_membership.cypher does for one.
// Params: $items [{eid, record_id}], $reason, $by, $at (DateTime).
UNWIND $items AS it
MATCH (a)-[r]->(b) WHERE elementId(r) = it.eid AND r.src_file IS NOT NULL
CREATE (a)-[w:$('WAS_' + type(r))]->(b)
SET w = properties(r), w.record_id = it.record_id, w.withdrawn = $reason, w.withdrawn_at = $at, w.withdrawn_by = $by
DELETE r
RETURN count(w) AS n, collect(coalesce(a.person_id, b.person_id)) AS persons
