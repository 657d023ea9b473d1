// Existing row hashes of a applications batch (ingest/writers.py: unchanged rows are skipped, changed ones versioned).
// Params: $keys [string].
UNWIND $keys AS k
OPTIONAL MATCH (n:Application {application_id: k})
RETURN k, n IS NOT NULL AS found, n.row_hash AS h, elementId(n) AS eid
