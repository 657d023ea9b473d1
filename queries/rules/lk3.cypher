// LK3 人员循环圈 (1/2) — the links of the related-unit graph: pairs of units sharing a normalised
// phone or e-mail (the LK2 links) or, when $legal_rep_links, the legal representative's name.
// Communities and the movers are computed in Python with networkx (queries/analytics.py).
// Parameters:
//   $legal_rep_links  Boolean       settings.detection.lk3_link_legal_rep (default true)
//   $unit_ids         List<String>  optional: only links among these units (a --person run passes the
//                                   person's related-unit components); null = every unit
// ($as_of / $person_id are accepted and ignored.)
// One row per unit pair (unit_a < unit_b) with what they share: [{kind, value}], kind in
// phone/email/legal_rep, and the shared legal_rep (or null).
CALL () {
  UNWIND coalesce($unit_ids, []) AS id
  MATCH (u:Org {unit_id: id}) RETURN u
  UNION ALL
  WITH $unit_ids AS ids WHERE ids IS NULL
  MATCH (u:Org) RETURN u
}
UNWIND [['phone', u.phone_norm], ['email', u.email_norm],
        ['legal_rep', CASE WHEN $legal_rep_links AND u:Unit THEN trim(u.legal_rep) END]] AS kv
WITH u, kv[0] AS kind, kv[1] AS value
WHERE value IS NOT NULL AND value <> '' AND NOT (kind = 'phone' AND value =~ '0+')
WITH kind, value, collect(DISTINCT u) AS units
WHERE size(units) >= 2
UNWIND units AS a
UNWIND units AS b
WITH kind, value, a, b WHERE a.unit_id < b.unit_id
WITH a, b, collect({kind: kind, value: value}) AS shared
RETURN a.unit_id AS unit_a, b.unit_id AS unit_b, shared,
       head([s IN shared WHERE s.kind = 'legal_rep' | s.value]) AS legal_rep
