// Existing row hashes of a units batch (ingest/writers.py: unchanged rows are skipped, changed ones
// versioned). An external organisation (not from units.csv) is found but never unchanged: its hash is
// that of the org, so the units statement upgrades it to a unit. Params: $keys [string].
UNWIND $keys AS k
OPTIONAL MATCH (n:Org {unit_id: k})
RETURN k, n IS NOT NULL AS found, n.row_hash AS h, elementId(n) AS eid
