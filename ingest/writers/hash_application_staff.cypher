// Existing DECLARES hashes of an application_staff batch (ingest/writers.py: unchanged rows are skipped,
// changed ones versioned on the person). Params: $keys [{i, application_id, person_id}]. Rows without
// a relationship are not returned.
UNWIND $keys AS k
MATCH (a:Application {application_id: k.application_id})-[d:DECLARES]->(p:Person {person_id: k.person_id})
RETURN k.i AS i, d.row_hash AS h, elementId(d) AS eid, elementId(p) AS owner
