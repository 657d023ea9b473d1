// What a lookup shows of each person found: name, title, and the units of current employments.
// Parameters: $keys List<String> (person_ids); $today Date.
UNWIND $keys AS k
MATCH (p:Person {person_id: k})
RETURN k AS key, {person_id: p.person_id, name: p.name, title: p.title, gender: p.gender,
                  units: COLLECT { MATCH (p)-[:HAS_EMPLOYMENT]->(e:Employment)-[:AT]->(o:Org)
                                   WHERE e.start_date <= $today AND (e.end_date IS NULL OR e.end_date >= $today)
                                   RETURN DISTINCT o.name }} AS item
