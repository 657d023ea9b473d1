// Registered planners (persons with any registration): the persons that get credit points.
// No parameters.
MATCH (p:Person)
WHERE EXISTS { (p)-[:HAS_REGISTRATION]->() }
RETURN p.person_id AS person_id
