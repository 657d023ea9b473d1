// Nodes that hold data: every node but the graph-version counter (count store look-ups, constant time).
// No parameters. 0 means the bulk importer may replace the store (ingest/bulk.py).
CALL () { MATCH (n) RETURN count(n) AS everything }
CALL () { MATCH (v:GraphVersion) RETURN count(v) AS versions }
RETURN everything - versions AS nodes
