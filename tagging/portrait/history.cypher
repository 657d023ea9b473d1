// A person's history (DESIGN.md "Data lifecycle"): the earlier values of the person and of the person's
// records (versions), and the person's withdrawn records — retired by a snapshot load or set aside by
// an upheld dispute (graph/records.py) — each with its provenance.
// Params: $person_id, $limit (Integer: at most this many of each, newest first).
MATCH (p:Person {person_id: $person_id})
CALL (p) {
  CALL (p) {
    MATCH (p)-[:HAS_VERSION]->(v:Version) RETURN v
    UNION
    MATCH (p)-[:HAS_REGISTRATION|HAS_EMPLOYMENT|HAS_INSURANCE|IS_EXPERT|HAD]->()-[:HAS_VERSION]->(v:Version) RETURN v
    UNION
    MATCH (p)<-[:TO_PERSON|AGAINST|WAS_TO_PERSON|WAS_AGAINST]-()-[:HAS_VERSION]->(v:Version) RETURN v
  }
  WITH v ORDER BY v.replaced_at DESC LIMIT $limit
  RETURN collect(properties(v)) AS versions
}
CALL (p) {
  CALL (p) {
    MATCH (p)-[:HAD]->(w:Withdrawn) RETURN properties(w) AS w
    UNION
    MATCH (p)<-[:WAS_TO_PERSON|WAS_AGAINST]-(w:Withdrawn) RETURN properties(w) AS w
    UNION
    MATCH (p)-[m:WAS_MEMBER_OF]->(j:Project)
    RETURN m {.*, kind: 'membership', project_id: j.project_id, project_name: j.name} AS w
    UNION
    MATCH (a:Application)-[d:WAS_DECLARES]->(p)
    RETURN d {.*, kind: 'declaration', application_id: a.application_id} AS w
  }
  WITH w ORDER BY w.withdrawn_at DESC LIMIT $limit
  RETURN collect(w) AS withdrawn
}
RETURN versions, withdrawn
