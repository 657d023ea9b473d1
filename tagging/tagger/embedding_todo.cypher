// Persons with a profile text, and the hash of the text their embedding was made from. No parameters.
MATCH (p:Person)
WHERE p.profile_text IS NOT NULL
RETURN p.person_id AS person_id, p.profile_text AS profile_text, p.embedding_hash AS embedding_hash
ORDER BY person_id
