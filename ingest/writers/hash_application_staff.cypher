// Stored DECLARES hashes of an application_staff batch (ingest/writers.py: unchanged rows are skipped,
// changed ones versioned on the person). Params: $keys [{i, application_id, person_id, h}]. Only rows
// whose relationship is missing or holds another hash are returned: unchanged rows, most of a monthly
// extract, cost two index look-ups and no record.
UNWIND $keys AS k
OPTIONAL MATCH (a:Application {application_id: k.application_id})-[d:DECLARES]->(p:Person {person_id: k.person_id})
WITH k, d, p WHERE d.row_hash IS NULL OR d.row_hash <> k.h
RETURN k.i AS i, d IS NOT NULL AS found, d.row_hash AS h, elementId(d) AS eid, elementId(p) AS owner
