// The application_staff records a load brought that are current (ingest/snapshot.py): element id of the
// DECLARES and its record key application_id|person_id (ingest.writers.record_key). No parameters.
MATCH (a:Application)-[d:DECLARES]->(p:Person) WHERE d.src_file IS NOT NULL
RETURN elementId(d) AS eid, a.application_id + '|' + p.person_id AS key
