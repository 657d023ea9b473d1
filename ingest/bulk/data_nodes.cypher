// Nodes that hold data: every node but the bookkeeping of runs — the graph-version counter, the
// writer slot a load holds while it runs, jobs, the load journal, refresh stamps (count store look-ups,
// constant time). No parameters. 0 means the bulk importer may replace the store (ingest/bulk.py).
CALL () { MATCH (n) RETURN count(n) AS everything }
CALL () { MATCH (v:GraphVersion) RETURN count(v) AS versions }
CALL () { MATCH (k:Lock) RETURN count(k) AS locks }
CALL () { MATCH (j:Job) RETURN count(j) AS jobs }
CALL () { MATCH (l:Load) RETURN count(l) AS loads }
CALL () { MATCH (s:RefreshStamp) RETURN count(s) AS stamps }
RETURN everything - versions - locks - jobs - loads - stamps AS nodes
