// Existing row hashes of a registrations batch (ingest/writers.py: unchanged rows are skipped, changed ones
// versioned). A record set aside by an upheld dispute (graph/records.py) counts as stored with its row
// hash, so the same row again leaves it aside and only a corrected row makes a current record again
// (a new one: `eid`, the record a change would version, is only that of a current record).
// Params: $keys [string].
UNWIND $keys AS k
OPTIONAL MATCH (n:Registration {reg_id: k})
CALL (k, n) {
  OPTIONAL MATCH (w:Withdrawn {record_id: k}) WHERE n IS NULL AND w.withdrawn = 'set_aside'
  RETURN w ORDER BY w.withdrawn_at DESC LIMIT 1
}
RETURN k, n IS NOT NULL OR w IS NOT NULL AS found, coalesce(n.row_hash, w.row_hash) AS h, elementId(n) AS eid
