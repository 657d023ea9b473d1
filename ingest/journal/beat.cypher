// A running load is still at work (graph.process.Heartbeat). Params: $load_id, $now (DateTime).
MATCH (l:Load {load_id: $load_id}) WHERE l.status = 'running'
SET l.heartbeat_at = $now
