// Store embeddings.
// $rows: list of {person_id, embedding: list<float>, embedding_hash}.
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
CALL db.create.setNodeVectorProperty(p, 'embedding', row.embedding)
SET p.embedding_hash = row.embedding_hash
