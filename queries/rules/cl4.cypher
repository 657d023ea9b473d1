// CL4 项目挂名 — a member row (project j, person p, unit x) in a responsible role where, on the
// project's start_date s, p has no employment or registration at x active that day and no
// insurance with payer x covering the month of s.
// Parameters:
//   $as_of      Date          detection date (projects starting after it are ignored)
//   $person_id  String        optional: only this person (null = every person)
//   $roles      List<String>  responsible roles: ['项目负责人', '技术负责人']
// x is the MEMBER_OF.unit_id (the unit the member signed for), else the project's lead unit.
// One row per qualifying (person, project, role) with what p did have on day s (evidence).
CALL () {
  MATCH (p:Person {person_id: $person_id}) RETURN p
  UNION ALL
  WITH $person_id AS pid WHERE pid IS NULL
  MATCH (p:Person) RETURN p
}
MATCH (p)-[m:MEMBER_OF]->(j:Project)
WHERE m.role IN $roles AND j.start_date IS NOT NULL AND j.start_date <= $as_of
WITH p, m, j, j.start_date AS s, date.truncate('month', j.start_date) AS sm,
     coalesce(m.unit_id, j.lead_unit_id, head([(j)-[:LED_BY]->(l:Org) | l.unit_id])) AS x
WHERE x IS NOT NULL
// The person's employments are read once per person, not once per signed project (a planner signs
// many): on the national sample this halves the rule's database hits.
WITH p, collect({m: m, j: j, s: s, sm: sm, x: x}) AS signed
WITH p, signed, [(p)-[:HAS_EMPLOYMENT]->(e:Employment) | {unit_id: e.unit_id, from: e.start_date, to: e.end_date}] AS emps
UNWIND signed AS row
WITH p, row.m AS m, row.j AS j, row.s AS s, row.sm AS sm, row.x AS x, emps
WHERE NOT any(e IN emps WHERE coalesce(e.unit_id = x AND e.from <= s AND (e.to IS NULL OR e.to >= s), false))
// a separate WITH so the cheap check above runs before the two subqueries below
WITH p, m, j, s, sm, x
WHERE NOT EXISTS {
    MATCH (p)-[:HAS_REGISTRATION]->(r:Registration)
    WHERE r.unit_id = x AND r.valid_from <= s AND (r.valid_to IS NULL OR r.valid_to >= s) }
  AND NOT EXISTS {
    MATCH (p)-[:HAS_INSURANCE]->(i:Insurance)
    WHERE i.unit_id = x AND i.start_month <= sm AND (i.end_month IS NULL OR i.end_month >= sm) }
CALL (p, s, sm) {
  // what the person did have that day: shows where they really worked
  OPTIONAL MATCH (p)-[:HAS_EMPLOYMENT|HAS_REGISTRATION|HAS_INSURANCE]->(rec)
  WHERE coalesce(rec.start_date, rec.valid_from, rec.start_month) <= s
    AND coalesce(rec.end_date, rec.valid_to, rec.end_month, s) >= CASE WHEN rec:Insurance THEN sm ELSE s END
  RETURN collect(CASE WHEN rec IS NULL THEN null ELSE {
    kind: CASE WHEN rec:Employment THEN 'employment' WHEN rec:Registration THEN 'registration' ELSE 'insurance' END,
    id: coalesce(rec.emp_id, rec.reg_id, rec.ins_id), unit_id: rec.unit_id,
    from: coalesce(rec.start_date, rec.valid_from, rec.start_month),
    to: coalesce(rec.end_date, rec.valid_to, rec.end_month)} END) AS held
}
RETURN p.person_id AS person_id, j.project_id AS project_id, j.name AS project_name, x AS unit_id,
       m.role AS role, s AS start_date, held
