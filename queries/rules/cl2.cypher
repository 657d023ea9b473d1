// CL2 多处执业 — two registrations/employments of one person at different units overlapping
// for at least $min_overlap_days days (overlap = min of ends − max of starts + 1, inclusive).
// Parameters:
//   $as_of             Date    detection date; open ends run to it, later starts are ignored
//   $person_id         String  optional: only this person (null = every person)
//   $min_overlap_days  Integer settings.detection.cl2_min_overlap_days (default 31)
// One row per (person, unit pair sorted, pair of records) that qualifies; Python groups the rows
// of one (person, unit pair) into one alert.
CALL () {
  MATCH (p:Person {person_id: $person_id}) RETURN p
  UNION ALL
  WITH $person_id AS pid WHERE pid IS NULL
  MATCH (p:Person) RETURN p
}
// A record's unit_id property names the same Org as its AT relationship and saves the hop.
CALL (p) {
  MATCH (p)-[:HAS_REGISTRATION]->(r:Registration)
  WHERE r.valid_from <= $as_of
  RETURN {kind: 'registration', id: r.reg_id, unit_id: r.unit_id, from: r.valid_from,
          to: CASE WHEN r.valid_to IS NULL OR r.valid_to > $as_of THEN $as_of ELSE r.valid_to END} AS rec
  UNION ALL
  MATCH (p)-[:HAS_EMPLOYMENT]->(e:Employment)
  WHERE e.start_date <= $as_of
  RETURN {kind: 'employment', id: e.emp_id, unit_id: e.unit_id, from: e.start_date,
          to: CASE WHEN e.end_date IS NULL OR e.end_date > $as_of THEN $as_of ELSE e.end_date END} AS rec
}
WITH p, collect(rec) AS recs
WHERE size(recs) > 1
UNWIND range(0, size(recs) - 2) AS i
UNWIND range(i + 1, size(recs) - 1) AS j
WITH p, recs[i] AS a, recs[j] AS b
WHERE a.unit_id <> b.unit_id
WITH p, a, b,
     CASE WHEN a.from > b.from THEN a.from ELSE b.from END AS o_from,
     CASE WHEN a.to < b.to THEN a.to ELSE b.to END AS o_to
WHERE o_from <= o_to
WITH p, a, b, o_from, o_to, duration.inDays(o_from, o_to).days + 1 AS days
WHERE days >= $min_overlap_days
WITH p, o_from, o_to, days, CASE WHEN a.unit_id < b.unit_id THEN [a, b] ELSE [b, a] END AS pair
RETURN p.person_id AS person_id, pair[0].unit_id AS unit_a, pair[1].unit_id AS unit_b,
       pair[0] AS rec_a, pair[1] AS rec_b, o_from AS overlap_from, o_to AS overlap_to, days
