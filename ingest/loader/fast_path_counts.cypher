// Entities of each fast-path file already in the graph (count store look-ups, constant time). No parameters.
// A file whose count is 0 when its load starts has only new rows (ingest/loader.py: no hash read).
CALL () { MATCH (n:Person) RETURN count(n) AS persons }
CALL () { MATCH (n:Registration) RETURN count(n) AS registrations }
CALL () { MATCH (n:Employment) RETURN count(n) AS employments }
CALL () { MATCH (n:Insurance) RETURN count(n) AS social_insurance }
CALL () { MATCH (n:Project) RETURN count(n) AS projects }
CALL () { MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS project_members }
CALL () { MATCH ()-[r:DECLARES]->() RETURN count(r) AS application_staff }
// Records set aside (graph/records.py) are still "in the graph" for a load: it must compare hashes.
CALL () { MATCH (n:Withdrawn) RETURN count(n) AS aside }
CALL () { MATCH ()-[r:WAS_MEMBER_OF]->() RETURN count(r) AS aside_members }
RETURN persons, registrations + aside AS registrations, employments + aside AS employments,
       social_insurance + aside AS social_insurance, projects, project_members + aside_members AS project_members,
       application_staff
