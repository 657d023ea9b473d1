// Stored row hashes of a projects batch (ingest/writers.py: unchanged rows are skipped, changed ones versioned).
// Params: $keys [{k, h}] (each row's key and row_hash). Only rows whose record is missing or holds another
// hash are returned: unchanged rows, most of a monthly extract, cost one index look-up and no record.
UNWIND $keys AS k
OPTIONAL MATCH (n:Project {project_id: k.k})
WITH k, n WHERE n.row_hash IS NULL OR n.row_hash <> k.h
RETURN k.k AS k, k.h AS sent, n IS NOT NULL AS found, n.row_hash AS h, elementId(n) AS eid
