// An expert's pool status now and its history, oldest first (an entry without a time, from a graph
// loaded before loads were stamped, first). $expert_id: string.
MATCH (p:Person)-[:IS_EXPERT]->(e:Expert {expert_id: $expert_id})
RETURN e.expert_id AS expert_id, p.person_id AS person_id, p.name AS name, e.level AS level, e.status AS status,
       e.status_source AS status_source, e.status_file AS status_file,
       COLLECT { MATCH (e)-[:HAS_STATUS]->(s:ExpertStatus)
                 RETURN {status: s.status, previous: s.previous, source: s.source, at: toString(coalesce(s.at, s.loaded_at)), actor: s.actor,
                         reason: s.reason, load_id: s.load_id, src_file: s.src_file, src_line: s.src_line}
                 ORDER BY coalesce(s.at, s.loaded_at) IS NOT NULL, coalesce(s.at, s.loaded_at) } AS history
