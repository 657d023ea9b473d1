// CL3 公职人员挂证 — a registration (p, u) covering a month in which one of p's insurance payers
// is a 机关 (payer_type, else the payer Org's unit_type), or p is civil_servant=true with a
// registration active on $as_of.
// Parameters:
//   $as_of      Date    detection date; open ends run to it
//   $person_id  String  optional: only this person (null = every person)
// One row per qualifying registration; Python groups rows of one (person, unit).
// Starts from the registrations (indexed on person_id): most persons hold none.
CALL () {
  MATCH (r:Registration {person_id: $person_id}) RETURN r
  UNION ALL
  WITH $person_id AS pid WHERE pid IS NULL
  MATCH (r:Registration) RETURN r
}
MATCH (p:Person)-[:HAS_REGISTRATION]->(r)-[:AT]->(u:Org)
WHERE r.valid_from <= $as_of
WITH p, r, u,
     CASE WHEN r.valid_to IS NULL OR r.valid_to > $as_of THEN $as_of ELSE r.valid_to END AS reg_to
WITH p, r, u, reg_to,
     date.truncate('month', r.valid_from) AS m_from, date.truncate('month', reg_to) AS m_to
CALL (p, m_from, m_to) {
  OPTIONAL MATCH (p)-[:HAS_INSURANCE]->(i:Insurance)-[:AT]->(o:Org)
  WHERE coalesce(i.payer_type, o.unit_type) = '机关'
    AND i.start_month <= m_to AND i.start_month <= $as_of
    AND coalesce(i.end_month, date.truncate('month', $as_of)) >= m_from
  RETURN collect(CASE WHEN i IS NULL THEN null ELSE {
    ins_id: i.ins_id, unit_id: o.unit_id, payer_name: coalesce(i.payer_name, o.name),
    from: i.start_month, to: i.end_month} END) AS gov
}
WITH p, r, u, reg_to, m_from, m_to, gov,
     (coalesce(p.civil_servant, false) AND (r.valid_to IS NULL OR r.valid_to >= $as_of)) AS cs_active
WHERE size(gov) > 0 OR cs_active
RETURN p.person_id AS person_id, u.unit_id AS unit_id,
       {reg_id: r.reg_id, cert_no: r.cert_no, from: r.valid_from, to: r.valid_to} AS reg,
       gov, cs_active, coalesce(p.civil_servant, false) AS civil_servant
