// Keep a panel's roster (members and alternates, in order). Fails (no row) when
// a panel of that id exists already; the caller compares rosters. $panel: {panel_id, text, province,
// level, plan_type, k, as_of (date), exclude_unit_ids, draw_id, mode}; $members: [{expert_id, role,
// seat, score}]; $now: datetime; $actor: user id.
OPTIONAL MATCH (old:Panel {panel_id: $panel.panel_id})
WITH old WHERE old IS NULL
CREATE (pa:Panel {panel_id: $panel.panel_id})
SET pa += $panel, pa.saved_at = $now, pa.saved_by = $actor
WITH pa
UNWIND $members AS m
MATCH (e:Expert {expert_id: m.expert_id})
CREATE (pa)-[:HAS_MEMBER {role: m.role, seat: m.seat, score: m.score}]->(e)
WITH DISTINCT pa
RETURN pa.panel_id AS panel_id
