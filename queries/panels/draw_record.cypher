// Keep a random draw so it can be published: once per draw_id (the same request on the same graph
// gives the same draw and the same id). $draw: {draw_id, seed, as_of (date), mode, request (JSON),
// record (JSON)}; $now: datetime; $actor: user id.
MERGE (d:PanelDraw {draw_id: $draw.draw_id})
ON CREATE SET d.seed = $draw.seed, d.as_of = $draw.as_of, d.mode = $draw.mode, d.request = $draw.request,
              d.record = $draw.record, d.recorded_at = $now, d.recorded_by = $actor
RETURN d.draw_id AS draw_id, toString(d.recorded_at) AS recorded_at
