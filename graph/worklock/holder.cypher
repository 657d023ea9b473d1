// Who holds the writer slot (no lock taken). Params: $name.
OPTIONAL MATCH (k:Lock {name: $name})
RETURN k.holder AS holder, k.what AS what, k.token AS token, k.heartbeat_at AS heartbeat_at, k.since AS since
