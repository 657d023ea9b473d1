// Take the write lock on the writer slot (created on first use) and read who holds it.
// Runs first in its transaction: concurrent takers wait here, so each then reads the holder that
// the one before it committed. Params: $name (String), $now (DateTime).
MERGE (k:Lock {name: $name})
SET k.touched_at = $now
RETURN k.holder AS holder, k.what AS what, k.token AS token, k.heartbeat_at AS heartbeat_at, k.since AS since
