// The project_members records a load brought that are current (ingest/snapshot.py): element id of the
// MEMBER_OF and its record key project_id|person_id|role (ingest.writers.record_key). No parameters.
MATCH (p:Person)-[m:MEMBER_OF]->(j:Project) WHERE m.src_file IS NOT NULL
RETURN elementId(m) AS eid, j.project_id + '|' + p.person_id + '|' + m.role AS key
