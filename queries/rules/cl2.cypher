// CL2 多处执业 — two registrations/employments of one person at different units overlapping
// for at least $min_overlap_days days (overlap = min of ends − max of starts + 1, inclusive).
// Parameters:
//   $as_of             Date    detection date; open ends run to it, later starts are ignored
//   $person_id         String  optional: only this person (null = every person)
//   $min_overlap_days  Integer settings.detection.cl2_min_overlap_days (default 31)
// One row per (person, unit pair sorted, pair of records) that qualifies; Python groups the rows
// of one (person, unit pair) into one alert.
// Reads the records by label and groups them by their person_id property (indexed for --person):
// no walk through every person's relationships, most of which are project memberships.
CALL () {
  MATCH (x:Registration {person_id: $person_id}) RETURN x, 'registration' AS kind
  UNION ALL
  WITH $person_id AS pid WHERE pid IS NULL
  MATCH (x:Registration) RETURN x, 'registration' AS kind
  UNION ALL
  MATCH (x:Employment {person_id: $person_id}) RETURN x, 'employment' AS kind
  UNION ALL
  WITH $person_id AS pid WHERE pid IS NULL
  MATCH (x:Employment) RETURN x, 'employment' AS kind
}
WITH x, kind, coalesce(x.valid_from, x.start_date) AS from, coalesce(x.valid_to, x.end_date) AS to
WHERE from <= $as_of
WITH x.person_id AS person_id,
     collect({kind: kind, id: coalesce(x.reg_id, x.emp_id), unit_id: x.unit_id, from: from,
              to: CASE WHEN to IS NULL OR to > $as_of THEN $as_of ELSE to END}) AS recs
WHERE size(recs) > 1
UNWIND range(0, size(recs) - 2) AS i
UNWIND range(i + 1, size(recs) - 1) AS j
WITH person_id, recs[i] AS a, recs[j] AS b
WHERE a.unit_id <> b.unit_id
WITH person_id, a, b,
     CASE WHEN a.from > b.from THEN a.from ELSE b.from END AS o_from,
     CASE WHEN a.to < b.to THEN a.to ELSE b.to END AS o_to
WHERE o_from <= o_to
WITH person_id, a, b, o_from, o_to, duration.inDays(o_from, o_to).days + 1 AS days
WHERE days >= $min_overlap_days
WITH person_id, o_from, o_to, days, CASE WHEN a.unit_id < b.unit_id THEN [a, b] ELSE [b, a] END AS pair
RETURN person_id, pair[0].unit_id AS unit_a, pair[1].unit_id AS unit_b,
       pair[0] AS rec_a, pair[1] AS rec_b, o_from AS overlap_from, o_to AS overlap_to, days
