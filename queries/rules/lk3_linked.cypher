// LK3 人员循环圈 for one person (a --person run), step 2, repeated: the units sharing a phone, e-mail
// or (with $legal_rep_links) legal representative with any unit of $unit_ids, with the same
// placeholder rules as lk3.cypher. Repeating it from the units of lk3_person.cypher until nothing
// new turns up gives their related-unit components without reading every unit's contacts.
// Ingest stores text trimmed, so legal_rep equality (index unit_legal_rep) is lk3.cypher's trim() equality.
// Parameters:
//   $unit_ids         List<String>  the units reached so far (the frontier)
//   $legal_rep_links  Boolean       settings.detection.lk3_link_legal_rep
// One row: unit_ids (List<String>) — the neighbours, the given units among them when linked.
OPTIONAL MATCH (u:Org) WHERE u.unit_id IN $unit_ids
CALL (u) {
  MATCH (v:Org)
  WHERE u.phone_norm IS NOT NULL AND u.phone_norm <> '' AND NOT u.phone_norm =~ '0+' AND v.phone_norm = u.phone_norm
  RETURN v
  UNION
  MATCH (v:Org)
  WHERE u.email_norm IS NOT NULL AND u.email_norm <> '' AND v.email_norm = u.email_norm
  RETURN v
  UNION
  MATCH (v:Unit)
  WHERE $legal_rep_links AND u:Unit AND trim(coalesce(u.legal_rep, '')) <> '' AND v.legal_rep = u.legal_rep
  RETURN v
}
RETURN collect(DISTINCT v.unit_id) AS unit_ids
