// CL5 多头参保 — two insurance periods of one person with different payers sharing at least
// $min_shared_months covered months (a period covers m if start_month <= m <= end_month; an open
// end runs to the month of $as_of).
// Parameters:
//   $as_of              Date    detection date
//   $person_id          String  optional: only this person (null = every person)
//   $min_shared_months  Integer settings.detection.cl5_min_shared_months (default 2)
// One row per qualifying pair of periods; Python groups rows of one (person, payer pair).
// Reads the insurance periods by label and groups them by their person_id property (indexed for
// --person): no walk through every person's relationships, most of which are project memberships.
// Reads the insurance periods by label and groups them by their person_id property (indexed for
// --person): no walk through every person's relationships, most of which are project memberships.
CALL () {
  MATCH (i:Insurance {person_id: $person_id}) RETURN i
  UNION ALL
  WITH $person_id AS pid WHERE pid IS NULL
  MATCH (i:Insurance) RETURN i
}
WITH i WHERE i.start_month <= $as_of
WITH i.person_id AS person_id,
     collect({id: i.ins_id, unit_id: i.unit_id, from: i.start_month,
              to: CASE WHEN i.end_month IS NULL OR i.end_month > $as_of
                       THEN date.truncate('month', $as_of) ELSE i.end_month END}) AS ins
WHERE size(ins) > 1
UNWIND range(0, size(ins) - 2) AS i
UNWIND range(i + 1, size(ins) - 1) AS j
WITH person_id, ins[i] AS a, ins[j] AS b
WHERE a.unit_id <> b.unit_id
WITH person_id, a, b,
     CASE WHEN a.from > b.from THEN a.from ELSE b.from END AS o_from,
     CASE WHEN a.to < b.to THEN a.to ELSE b.to END AS o_to
WITH person_id, a, b, o_from, o_to,
     (o_to.year - o_from.year) * 12 + o_to.month - o_from.month + 1 AS months
WHERE months >= $min_shared_months
WITH person_id, o_from, o_to, months, CASE WHEN a.unit_id < b.unit_id THEN [a, b] ELSE [b, a] END AS pair
RETURN person_id, pair[0].unit_id AS unit_a, pair[1].unit_id AS unit_b,
       pair[0] AS ins_a, pair[1] AS ins_b, o_from AS shared_from, o_to AS shared_to, months
