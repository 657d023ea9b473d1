// TR4 往返调动 — three consecutive employments (by start_date, then emp_id) at A, B, A (A ≠ B)
// where end_date − start_date of the stay at B is at most $max_stay_days (an open end counts to $as_of).
// Parameters:
//   $as_of          Date    detection date (employments starting after it are ignored)
//   $person_id      String  optional: only this person (null = every person)
//   $max_stay_days  Integer settings.detection.tr4_max_stay_days (default 365)
// One row per qualifying triple; Python groups the rows of one person.
// Reads the employments by label and groups them by their person_id property (indexed for
// --person): no walk through every person's relationships, most of which are project memberships.
CALL () {
  MATCH (e:Employment {person_id: $person_id}) RETURN e
  UNION ALL
  WITH $person_id AS pid WHERE pid IS NULL
  MATCH (e:Employment) RETURN e
}
WITH e WHERE e.start_date <= $as_of
WITH e ORDER BY e.start_date, e.emp_id
WITH e.person_id AS person_id, collect({id: e.emp_id, unit_id: e.unit_id, from: e.start_date, to: e.end_date}) AS emps
WHERE size(emps) >= 3
UNWIND range(0, size(emps) - 3) AS i
WITH person_id, emps[i] AS a, emps[i + 1] AS b, emps[i + 2] AS c
WHERE a.unit_id = c.unit_id AND a.unit_id <> b.unit_id
WITH person_id, a, b, c, duration.inDays(b.from, coalesce(b.to, $as_of)).days AS stay
WHERE stay <= $max_stay_days
RETURN person_id, a, b, c, stay
