// TR1 频繁调动 — at least $min_moves moves of one person whose start dates lie at most $window_days
// apart, first to last. A move is an employment whose predecessor (employments ordered by
// start_date, then emp_id) is at a different unit.
// Parameters:
//   $as_of        Date    detection date (employments starting after it are ignored)
//   $person_id    String  optional: only this person (null = every person)
//   $min_moves    Integer settings.detection.tr1_min_moves (default 3)
//   $window_days  Integer settings.detection.tr1_window_days (default 730)
// One row per (person, first move index) whose window holds enough moves; Python merges them.
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
WHERE size(emps) > $min_moves
WITH person_id, [k IN range(1, size(emps) - 1) WHERE emps[k].unit_id <> emps[k - 1].unit_id |
         {from_unit: emps[k - 1].unit_id, to_unit: emps[k].unit_id, date: emps[k].from,
          prev_id: emps[k - 1].id, emp_id: emps[k].id}] AS moves
WHERE size(moves) >= $min_moves
UNWIND range(0, size(moves) - $min_moves) AS i
WITH person_id, moves, i,
     [j IN range(i, size(moves) - 1) WHERE duration.inDays(moves[i].date, moves[j].date).days <= $window_days] AS js
WHERE size(js) >= $min_moves
RETURN person_id, [j IN js | moves[j]] AS window
