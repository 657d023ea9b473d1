// CL1 人证分离 — registration without matching social insurance (graph read; the run-of-months
// step is done in Python, queries/detect.py::cl1).
// Parameters:
//   $as_of      Date    the detection date; open ends run to it, later records are ignored
//   $person_id  String  optional: only this person (null = every person)
// Thresholds (settings.detection.cl1_min_months) are applied in Python.
// One row per person with a registration starting on or before $as_of: the person's retired flag,
// the registrations (unit, its parent_unit_id, period clipped to $as_of) and every insurance period
// of the person (payer, months; an open end_month runs to the month of $as_of).
// Starts from the registrations (indexed on person_id): most persons hold none.
CALL () {
  MATCH (r:Registration {person_id: $person_id}) RETURN r
  UNION ALL
  WITH $person_id AS pid WHERE pid IS NULL
  MATCH (r:Registration) RETURN r
}
MATCH (p:Person)-[:HAS_REGISTRATION]->(r)-[:AT]->(u:Org)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= r.valid_from)
WITH p, collect({
  reg_id: r.reg_id, cert_no: r.cert_no, unit_id: u.unit_id,
  parent_id: coalesce(u.parent_unit_id, head([(u)-[:OWNED_BY]->(par:Org) | par.unit_id])),
  from: r.valid_from,
  to: CASE WHEN r.valid_to IS NULL OR r.valid_to > $as_of THEN $as_of ELSE r.valid_to END
}) AS regs
CALL (p) {
  OPTIONAL MATCH (p)-[:HAS_INSURANCE]->(i:Insurance)
  WHERE i.start_month <= $as_of
  WITH i ORDER BY i.start_month
  RETURN collect({
    ins_id: i.ins_id, unit_id: i.unit_id, from: i.start_month,
    to: CASE WHEN i.end_month IS NULL OR i.end_month > $as_of
             THEN date.truncate('month', $as_of) ELSE i.end_month END
  }) AS ins
}
// A registration whose months the insurance periods at its unit (or the unit's parent) cover from
// first to last has no uncovered month; persons with only such registrations raise nothing and are
// dropped here, so a national run ships a few rows to Python instead of ~35,000. The check sweeps
// the periods in start order (month numbers year * 12 + month): `next` is the first month not yet
// covered; the registration is covered when `next` passes its last month.
WITH p, regs, ins
WHERE any(reg IN regs WHERE
        reduce(next = reg.from.year * 12 + reg.from.month, i IN ins |
          CASE WHEN i.ins_id IS NOT NULL
                    AND (i.unit_id = reg.unit_id OR coalesce(i.unit_id = reg.parent_id, false))
                    AND i.from.year * 12 + i.from.month <= next
                    AND i.to.year * 12 + i.to.month >= next
               THEN i.to.year * 12 + i.to.month + 1 ELSE next END)
        <= reg.to.year * 12 + reg.to.month)
RETURN p.person_id AS person_id, coalesce(p.retired, false) AS retired, regs, ins
