// TR2 借人申报 — staff p declared on application a (unit u, submitted s, decided d) where p has no
// employment at u active on s, or (d known) every such employment started on or after
// s − $start_before_days and has an end_date on or before d + $end_after_days.
// Parameters:
//   $as_of              Date    detection date (applications submitted after it are ignored)
//   $person_id          String  optional: only this person (null = every person)
//   $start_before_days  Integer settings.detection.tr2_start_before_days (default 90)
//   $end_after_days     Integer settings.detection.tr2_end_after_days (default 180)
// One row per qualifying (application, person) with the employments at u active on s.
CALL () {
  MATCH (p:Person {person_id: $person_id}) RETURN p
  UNION ALL
  WITH $person_id AS pid WHERE pid IS NULL
  MATCH (p:Person) RETURN p
}
MATCH (a:Application)-[d:DECLARES]->(p)
WHERE a.submitted IS NOT NULL AND a.submitted <= $as_of
WITH p, a, d, a.submitted AS s, a.decided AS dec,
     coalesce(a.unit_id, head([(a)-[:BY]->(o:Org) | o.unit_id])) AS u
CALL (p, u, s) {
  OPTIONAL MATCH (p)-[:HAS_EMPLOYMENT]->(e:Employment)
  WHERE e.unit_id = u AND e.start_date <= s AND (e.end_date IS NULL OR e.end_date >= s)
  RETURN collect(CASE WHEN e IS NULL THEN null ELSE {id: e.emp_id, from: e.start_date, to: e.end_date} END) AS active
}
WITH p, a, d, s, dec, u, active,
     [e IN active WHERE NOT (dec IS NOT NULL AND e.from >= s - duration({days: $start_before_days})
                             AND e.to IS NOT NULL AND e.to <= dec + duration({days: $end_after_days}))] AS genuine
WHERE size(genuine) = 0
RETURN a.application_id AS application_id, p.person_id AS person_id, u AS unit_id,
       d.role AS role, s AS submitted, dec AS decided, a.result AS result, a.grade AS grade, active
