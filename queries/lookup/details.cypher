// What a lookup shows of the persons, units and projects it keeps (by key).
// Parameters: $persons, $units, $projects List<String> (keys); $today Date.
CALL () {
  UNWIND $persons AS k
  MATCH (p:Person {person_id: k})
  RETURN collect({key: k, item: {person_id: p.person_id, name: p.name, title: p.title, gender: p.gender,
                  units: COLLECT { MATCH (p)-[:HAS_EMPLOYMENT]->(e:Employment)-[:AT]->(o:Org)
                                   WHERE e.start_date <= $today AND (e.end_date IS NULL OR e.end_date >= $today)
                                   RETURN DISTINCT o.name }}}) AS persons
}
CALL () {
  UNWIND $units AS k
  MATCH (o:Org {unit_id: k})
  RETURN collect({key: k, item: {unit_id: o.unit_id, name: o.name, province: o.province, city: o.city,
                  grade: o.grade, unit_type: o.unit_type, external: NOT o:Unit}}) AS units
}
CALL () {
  UNWIND $projects AS k
  MATCH (j:Project {project_id: k})
  OPTIONAL MATCH (j)-[:LED_BY]->(o:Org)
  RETURN collect({key: k, item: {project_id: j.project_id, name: j.name, province: j.province, city: j.city,
                  level: j.level, plan_type: j.plan_type, lead_unit_id: o.unit_id, lead_unit: o.name}}) AS projects
}
RETURN persons, units, projects
