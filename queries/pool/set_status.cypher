// A decision on an expert's pool status taken in the service (managers, admins): the status and its
// history entry (the caller adds the audit event to the same transaction). The first decision on an expert loaded from
// experts.csv first keeps what the file said as history. $expert_id; $status (在库/暂停/出库);
// $reason; $now: datetime; $actor: user id.
MATCH (e:Expert {expert_id: $expert_id})
CALL (e) {
  WITH e WHERE NOT EXISTS { (e)-[:HAS_STATUS]->(:ExpertStatus) } AND e.status IS NOT NULL
  CREATE (e)-[:HAS_STATUS]->(:ExpertStatus {status: e.status, source: 'file', loaded_at: e.loaded_at, load_id: e.load_id,
                                            src_file: e.src_file, src_line: e.src_line})
}
WITH e, e.status AS before
// What the file said last, for a graph loaded before status_file was kept (queries/ingest/experts.cypher).
SET e.status_file = coalesce(e.status_file, CASE WHEN coalesce(e.status_source, 'file') = 'file' THEN e.status END)
SET e.status = $status, e.status_source = 'service', e.status_at = $now, e.status_reason = $reason,
    e.status_by = $actor
CREATE (e)-[:HAS_STATUS]->(:ExpertStatus {status: $status, previous: before, source: 'service', at: $now,
                                          actor: $actor, reason: $reason})
RETURN e.expert_id AS expert_id, before
