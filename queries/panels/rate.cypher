// Ratings (1-5) of a saved panel's members after the review, a later rating of
// the same member replaces the earlier one. $panel_id; $ratings: [{expert_id, rating, comment}];
// $now: datetime; $actor: user id.
MATCH (pa:Panel {panel_id: $panel_id})
UNWIND $ratings AS r
MATCH (pa)-[m:HAS_MEMBER {role: 'member'}]->(:Expert {expert_id: r.expert_id})
SET m.rating = r.rating, m.comment = r.comment, m.rated_at = $now, m.rated_by = $actor
WITH DISTINCT pa
RETURN pa.panel_id AS panel_id
