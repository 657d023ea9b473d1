// Counts per entity for `plantalent stats` (count-store lookups). No parameters.
CALL () { MATCH (n:Unit) RETURN count(n) AS units }
CALL () { MATCH (n:Org) RETURN count(n) AS orgs }
CALL () { MATCH (n:Person) RETURN count(n) AS persons }
CALL () { MATCH (n:Registration) RETURN count(n) AS registrations }
CALL () { MATCH (n:Employment) RETURN count(n) AS employments }
CALL () { MATCH (n:Insurance) RETURN count(n) AS insurance_periods }
CALL () { MATCH (n:Expert) RETURN count(n) AS experts }
CALL () { MATCH (n:Project) RETURN count(n) AS projects }
CALL () { MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS project_members }
CALL () { MATCH (n:Application) RETURN count(n) AS applications }
CALL () { MATCH ()-[r:DECLARES]->() RETURN count(r) AS application_staff }
CALL () { MATCH (n:Award) RETURN count(n) AS awards }
CALL () { MATCH (n:Violation) RETURN count(n) AS violations }
CALL () { MATCH (n:Reorganization) RETURN count(n) AS reorganizations }
RETURN units, orgs - units AS organisations, persons, registrations, employments, insurance_periods,
       experts, projects, project_members, applications, application_staff, awards, violations,
       reorganizations
