// Stored MEMBER_OF hashes of a project_members batch (ingest/writers.py: unchanged rows are skipped,
// changed ones versioned on the person). A membership set aside by an upheld dispute (WAS_MEMBER_OF,
// graph/records.py) counts as stored with its row hash: the same row again leaves it aside, a corrected
// one makes it current again (`eid`, what a change would version, is only that of a current MEMBER_OF).
// Params: $keys [{i, project_id, person_id, role, h}]. Only rows whose current membership is missing or
// holds another hash are returned (the look-up below starts from the project: few members each), so
// unchanged rows, most of a monthly extract, cost two index look-ups and no record.
UNWIND $keys AS k
OPTIONAL MATCH (:Project {project_id: k.project_id})<-[c:MEMBER_OF {role: k.role}]-(:Person {person_id: k.person_id})
WITH k, c WHERE c.row_hash IS NULL OR c.row_hash <> k.h
OPTIONAL MATCH (p:Person {person_id: k.person_id})-[m:MEMBER_OF|WAS_MEMBER_OF {role: k.role}]->(j:Project {project_id: k.project_id})
WHERE m:MEMBER_OF OR (m.withdrawn = 'set_aside' AND NOT EXISTS { (p)-[:MEMBER_OF {role: k.role}]->(j) })
WITH k, p, m ORDER BY CASE WHEN m:MEMBER_OF THEN 0 ELSE 1 END, m.withdrawn_at DESC
WITH k, p, head(collect(m)) AS m
RETURN k.i AS i, m IS NOT NULL AS found, m.row_hash AS h, CASE WHEN m:MEMBER_OF THEN elementId(m) END AS eid,
       elementId(p) AS owner
