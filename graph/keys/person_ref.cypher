// The key of person pseudonyms (person_ref), kept in the graph so that every service process sharing
// this Neo4j gives the same refs. Created once, from $candidate, if the graph has none; the graph's
// key wins from then on (the uniqueness constraint on :Key(name) makes concurrent first starts agree).
// Parameters: $candidate (String, base64 of 32 bytes or an operator's secret)
MERGE (k:Key {name: 'person_ref'})
ON CREATE SET k.value = $candidate, k.created_at = datetime()
RETURN k.value AS value
