// The journal's entries other than this load's, read from the live store before the bulk load replaces
// it, so that the new store keeps them (ingest/bulk/carry_loads.cypher). Params: $load_id.
MATCH (l:Load) WHERE l.load_id <> $load_id
RETURN properties(l) AS p
