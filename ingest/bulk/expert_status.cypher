// After a bulk import: each expert's pool status as experts.cypher records it on a first load. The
// file's status is the file's word (status_source 'file', status_file), and a status the file brings
// starts the expert's ExpertStatus history, with the row's provenance. No params.
MATCH (e:Expert)
SET e.status_source = 'file', e.status_file = e.status
WITH e WHERE e.status IS NOT NULL
CREATE (e)-[:HAS_STATUS]->(:ExpertStatus {status: e.status, source: 'file', loaded_at: e.loaded_at,
                                          load_id: e.load_id, src_file: e.src_file, src_line: e.src_line})
