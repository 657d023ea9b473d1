// Credit points of every registered planner in one pass: $special maps the person_ids whose
// awards or violations change their points to those points; everyone else gets $base.
// $special: map person_id -> points; $base: float; $as_of: date
MATCH (r:Registration)
WHERE r.person_id IS NOT NULL
WITH DISTINCT r.person_id AS pid
MATCH (p:Person {person_id: pid})
SET p.credit_points = coalesce($special[pid], $base), p.credit_as_of = $as_of
RETURN count(p) AS n
