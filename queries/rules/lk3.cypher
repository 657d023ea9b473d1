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
  MATCH (u:Org) WHERE ($unit_ids IS NULL OR u.unit_id IN $unit_ids) AND u.phone_norm IS NOT NULL AND u.phone_norm <> '' AND NOT u.phone_norm =~ '0+'
  RETURN 'phone' AS kind, u.phone_norm AS value, u
  UNION
  MATCH (u:Org) WHERE ($unit_ids IS NULL OR u.unit_id IN $unit_ids) AND u.email_norm IS NOT NULL AND u.email_norm <> ''
  RETURN 'email' AS kind, u.email_norm AS value, u
  UNION
  MATCH (u:Unit) WHERE ($unit_ids IS NULL OR u.unit_id IN $unit_ids) AND $legal_rep_links AND u.legal_rep IS NOT NULL AND trim(u.legal_rep) <> ''
  RETURN 'legal_rep' AS kind, trim(u.legal_rep) AS value, u
}
WITH kind, value, collect(u) AS units
WHERE size(units) >= 2
UNWIND units AS a
UNWIND units AS b
WITH kind, value, a, b WHERE a.unit_id < b.unit_id
WITH a, b, collect({kind: kind, value: value}) AS shared
RETURN a.unit_id AS unit_a, b.unit_id AS unit_b, shared,
       head([s IN shared WHERE s.kind = 'legal_rep' | s.value]) AS legal_rep
