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
  MATCH (b:Org {unit_id: b_id})
  RETURN b, a AS only_from, d - duration({days: $window_days}) AS lo, d + duration({days: $window_days}) AS hi
  UNION
  WITH $person_id AS pid WHERE pid IS NULL
  MATCH (b:Org)
  RETURN b, null AS only_from, null AS lo, null AS hi
}
MATCH (b)<-[:AT]-(e:Employment)<-[:HAS_EMPLOYMENT]-(p:Person)
WHERE e.start_date <= $as_of AND (lo IS NULL OR lo <= e.start_date <= hi)
CALL (p, e) {
  MATCH (p)-[:HAS_EMPLOYMENT]->(prev:Employment)
  WHERE prev.start_date < e.start_date OR (prev.start_date = e.start_date AND prev.emp_id < e.emp_id)
  RETURN prev ORDER BY prev.start_date DESC, prev.emp_id DESC LIMIT 1
}
WITH DISTINCT b, e, p, prev, only_from
WHERE only_from IS NULL OR prev.unit_id = only_from
WITH b, e, p, prev
WHERE prev.unit_id <> b.unit_id
WITH prev.unit_id AS from_id, b.unit_id AS to_id,
     collect({person_id: p.person_id, emp_id: e.emp_id, prev_id: prev.emp_id, date: e.start_date}) AS moves
WHERE size(moves) >= $min_persons
OPTIONAL MATCH (:Org {unit_id: from_id})<-[:FROM]-(r:Reorganization)-[:TO]->(:Org {unit_id: to_id})
RETURN from_id, to_id, moves,
       collect(CASE WHEN r IS NULL THEN null ELSE {id: r.reorg_id, date: r.date, kind: r.kind} END) AS reorgs
