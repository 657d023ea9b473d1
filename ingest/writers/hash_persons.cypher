// Existing row hashes of a persons batch (ingest/writers.py: unchanged rows are skipped, changed ones versioned). Params: $keys [string].
UNWIND $keys AS k
OPTIONAL MATCH (n:Person {person_id: k})
RETURN k, n IS NOT NULL AS found, n.row_hash AS h, elementId(n) AS eid
