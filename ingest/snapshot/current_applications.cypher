// The applications records a load brought that are current (ingest/snapshot.py): element id and record key
// (the key of ingest.writers.record_key). Records made by the service (no src_file) are never retired.
// No parameters.
MATCH (n:Application) WHERE n.src_file IS NOT NULL
RETURN elementId(n) AS eid, n.application_id AS key
