// The first planning unit (by code) that employs anyone: the demo's unit HR user sits there. No parameters.
MATCH (u:Unit)<-[:AT]-(:Employment) RETURN u.unit_id AS unit_id ORDER BY unit_id LIMIT 1
