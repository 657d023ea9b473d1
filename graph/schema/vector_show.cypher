// The person_embedding vector index and its dimension, if it exists. No parameters.
SHOW VECTOR INDEXES YIELD name, options
WHERE name = 'person_embedding'
RETURN name, options.indexConfig['vector.dimensions'] AS dim
