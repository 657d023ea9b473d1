// The journal's earlier entries (ingest/bulk/earlier_loads.cypher) in the store a bulk load made.
// Params: $loads (list of property maps).
UNWIND $loads AS p
MERGE (l:Load {load_id: p.load_id})
SET l = p
