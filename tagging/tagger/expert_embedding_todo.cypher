// Experts with a profile text, and the hash of the text their embedding was made from (the
// `--embed-scope experts` variant of queries/tagging/embedding_todo.cypher). No parameters.
MATCH (p:Person)-[:IS_EXPERT]->(:Expert)
WHERE p.profile_text IS NOT NULL
WITH DISTINCT p
RETURN p.person_id AS person_id, p.profile_text AS profile_text, p.embedding_hash AS embedding_hash
ORDER BY person_id
