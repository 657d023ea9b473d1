// Vector index over Person.embedding (cosine).
// $dim: int, the embedding model's vector dimension.
CREATE VECTOR INDEX person_embedding IF NOT EXISTS
FOR (n:Person) ON n.embedding
OPTIONS {indexConfig: {`vector.dimensions`: $dim, `vector.similarity_function`: 'cosine'}}
