// Stored row hashes of a employments batch (ingest/writers.py: unchanged rows are skipped, changed ones
// versioned). A record set aside by an upheld dispute (graph/records.py) counts as stored with its row
// hash, so the same row again leaves it aside and only a corrected row makes a current record again
// (a new one: `eid`, the record a change would version, is only that of a current record).
// Params: $keys [{k, h}] (each row's key and row_hash). Only rows whose record is missing or holds another
// hash are returned: unchanged rows, most of a monthly extract, cost one index look-up and no record.
UNWIND $keys AS k
OPTIONAL MATCH (n:Employment {emp_id: k.k})
WITH k, n WHERE n.row_hash IS NULL OR n.row_hash <> k.h
CALL (k, n) {
  OPTIONAL MATCH (w:Withdrawn {record_id: k.k}) WHERE n IS NULL AND w.withdrawn = 'set_aside'
  RETURN w ORDER BY w.withdrawn_at DESC LIMIT 1
}
RETURN k.k AS k, k.h AS sent, n IS NOT NULL OR w IS NOT NULL AS found, coalesce(n.row_hash, w.row_hash) AS h,
       elementId(n) AS eid
