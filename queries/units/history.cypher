// A unit's history (DESIGN.md "Data lifecycle"): the earlier values of the unit (also of its unit record
// when a snapshot retired it) and of the records at it, and the withdrawn records that were at it (staff
// records, projects it led, awards, violations, applications, reorganizations: retired by a snapshot
// or set aside by a dispute, graph/records.py), each with its provenance.
// Params: $unit_id, $limit (Integer: at most this many of each, newest first).
MATCH (u:Org {unit_id: $unit_id})
CALL (u) {
  CALL (u) {
    MATCH (u)-[:HAS_VERSION]->(v:Version) RETURN v
    UNION
    MATCH (u)<-[:AT|LED_BY|BY|TO_UNIT|AGAINST|FROM|TO|WAS_AT|WAS_LED_BY|WAS_BY|WAS_TO_UNIT|WAS_AGAINST|WAS_FROM|WAS_TO]-()
          -[:HAS_VERSION]->(v:Version)
    RETURN v
  }
  WITH v ORDER BY v.replaced_at DESC LIMIT $limit
  RETURN collect(properties(v)) AS versions
}
CALL (u) {
  MATCH (u)<-[:WAS_AT|WAS_LED_BY|WAS_BY|WAS_TO_UNIT|WAS_AGAINST|WAS_FROM|WAS_TO|WAS_OWNED_BY]-(w:Withdrawn)
  WITH DISTINCT w
  WITH w ORDER BY w.withdrawn_at DESC LIMIT $limit
  RETURN collect(properties(w)) AS withdrawn
}
RETURN versions, withdrawn
