// experts.csv. Params: $rows [{k: expert_id, line, h, p}], $file, $load_id, $loaded_at.
// Pool status (DESIGN.md "Pool"): the file's status is news only when it differs from what the file
// said last time (status_file); a decision taken in the service since then (status_source
// 'service', queries/pool) stands until the file says something new. The newer one wins, and each
// value the file brings is kept as an ExpertStatus history entry.
UNWIND $rows AS row
MERGE (e:Expert {expert_id: row.k})
WITH e, row WHERE e.row_hash IS NULL OR e.row_hash <> row.h
WITH e, row, e.status AS kept, e.status_file IS NOT NULL AND e.status_file = row.p.status AS same_file,
     e.status_source = 'service' AS decided
SET e += row.p, e.src_file = $file, e.src_line = row.line, e.load_id = $load_id, e.loaded_at = $loaded_at, e.row_hash = row.h,
    e.status = CASE WHEN decided AND same_file THEN kept ELSE row.p.status END,
    e.status_source = CASE WHEN decided AND same_file THEN 'service' ELSE 'file' END,
    e.status_file = row.p.status
WITH e, row, same_file, kept
CALL (e, row, same_file, kept) {
  WITH * WHERE NOT same_file AND row.p.status IS NOT NULL
  CREATE (e)-[:HAS_STATUS]->(:ExpertStatus {status: row.p.status, previous: kept, source: 'file', loaded_at: $loaded_at,
                                            load_id: $load_id, src_file: $file, src_line: row.line})
}
CALL (e) { MATCH (e)<-[old:IS_EXPERT]-() DELETE old }
MATCH (p:Person {person_id: row.p.person_id})
CREATE (p)-[:IS_EXPERT {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(e)
