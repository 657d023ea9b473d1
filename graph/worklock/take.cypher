// Record the new holder of the writer slot (in the transaction of lock.cypher).
// Params: $name, $holder (JSON text: graph.process.Owner), $what (String), $token (String), $now (DateTime).
MATCH (k:Lock {name: $name})
SET k.holder = $holder, k.what = $what, k.token = $token, k.since = $now, k.heartbeat_at = $now
