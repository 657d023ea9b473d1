// The holder of the writer slot is still at work. Params: $name, $token, $now (DateTime).
MATCH (k:Lock {name: $name}) WHERE k.token = $token
SET k.heartbeat_at = $now
RETURN count(k) AS held
