// TR3 集体流动 — moves A → B grouped per (A, B), with the reorganizations A → B (the 60-day window
// and the 180-day reorganization exemption are applied in Python, queries/detect.py::tr3).
// A move is an employment at B whose predecessor (the person's employments ordered by start_date,
// then emp_id) is at a different unit A.
// Parameters:
//   $as_of        Date     detection date (employments starting after it are ignored)
//   $person_id    String   optional: only the pairs (A, B) this person moved along, and only the
//                          moves into B within $window_days of the person's own move
//   $window_days  Integer  settings.detection.tr3_window_days (default 60)
//   $min_persons  Integer  settings.detection.tr3_min_persons (default 5): pairs with fewer
//                          distinct movers in total are dropped here already
CALL () {
  // --person: only the person's own moves A -> B, and only movers into B within the window of it
  MATCH (:Person {person_id: $person_id})-[:HAS_EMPLOYMENT]->(e0:Employment)
  WHERE e0.start_date <= $as_of
  WITH e0 ORDER BY e0.start_date, e0.emp_id
  WITH collect(e0) AS es
  UNWIND range(1, size(es) - 1) AS k
  WITH es[k - 1].unit_id AS a, es[k].unit_id AS b_id, es[k].start_date AS d
  WHERE a <> b_id
  MATCH (b:Org {unit_id: b_id})<-[:AT]-(e:Employment)<-[:HAS_EMPLOYMENT]-(p:Person)
  WHERE e.start_date <= $as_of
    AND d - duration({days: $window_days}) <= e.start_date <= d + duration({days: $window_days})
  CALL (p, e) {
    MATCH (p)-[:HAS_EMPLOYMENT]->(prev:Employment)
    WHERE prev.start_date < e.start_date OR (prev.start_date = e.start_date AND prev.emp_id < e.emp_id)
    RETURN prev ORDER BY prev.start_date DESC, prev.emp_id DESC LIMIT 1
  }
  WITH DISTINCT a, b_id, p, e, prev
  WHERE prev.unit_id = a
  RETURN a AS from_id, b_id AS to_id,
         {person_id: p.person_id, emp_id: e.emp_id, prev_id: prev.emp_id, date: e.start_date} AS move
  UNION ALL
  // every person: the employments by label, in order per person; a move is a consecutive pair at
  // different units (no walk through every person's relationships)
  WITH $person_id AS pid WHERE pid IS NULL
  MATCH (e:Employment)
  WHERE e.start_date <= $as_of
  WITH e ORDER BY e.start_date, e.emp_id
  WITH e.person_id AS person_id, collect({id: e.emp_id, unit_id: e.unit_id, from: e.start_date}) AS emps
  UNWIND range(1, size(emps) - 1) AS k
  WITH person_id, emps[k - 1] AS prev, emps[k] AS cur
  WHERE prev.unit_id <> cur.unit_id
  RETURN prev.unit_id AS from_id, cur.unit_id AS to_id,
         {person_id: person_id, emp_id: cur.id, prev_id: prev.id, date: cur.from} AS move
}
WITH from_id, to_id, collect(move) AS moves
WHERE size(moves) >= $min_persons
OPTIONAL MATCH (:Org {unit_id: from_id})<-[:FROM]-(r:Reorganization)-[:TO]->(:Org {unit_id: to_id})
RETURN from_id, to_id, moves,
       collect(CASE WHEN r IS NULL THEN null ELSE {id: r.reorg_id, date: r.date, kind: r.kind} END) AS reorgs
