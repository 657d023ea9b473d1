// Mark the graph as changed: every writer of data that the web service shows (ingest, tagging,
// embeddings, detection, credit grading, alert decisions) runs this after its writes, or inside the
// writing transaction. Responses cached at an older version are not served again.
// The epoch is new whenever the node is (a wiped or replaced database), so a counter that starts
// over never matches a version seen before the wipe.
// Parameters: $change (String: what changed, e.g. "ingest"), $now (DateTime).
MERGE (v:GraphVersion {key: 'graph'})
ON CREATE SET v.epoch = randomUUID(), v.version = 0
SET v.version = v.version + 1, v.changed_at = $now, v.change = $change
RETURN v.epoch + ':' + toString(v.version) AS version
