// Give the writer slot back (only by its holder). Params: $name, $token.
MATCH (k:Lock {name: $name}) WHERE k.token = $token
REMOVE k.holder, k.what, k.token, k.since, k.heartbeat_at
