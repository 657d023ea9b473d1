// Existing row hashes of a social_insurance batch (the fast path of ingest/writers.py). Params: $keys [string].
UNWIND $keys AS k
OPTIONAL MATCH (n:Insurance {ins_id: k})
RETURN k, n IS NOT NULL AS found, n.row_hash AS h
