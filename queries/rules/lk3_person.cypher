// LK3 人员循环圈 for one person (a --person run), step 1: where can the person be a mover?
// A mover has a move (consecutive employments, ordered by start_date then emp_id, at different
// units) between two units that each share a phone, e-mail or (with $legal_rep_links) legal
// representative with another unit. Returns the units of such moves: the search for the person's
// related-unit communities starts there (lk3_linked.cypher), and most persons have none.
// Ingest stores text trimmed, so legal_rep equality (index unit_legal_rep) is lk3.cypher's trim() equality.
// Parameters:
//   $as_of            Date     detection date (employments starting after it are ignored)
//   $person_id        String   the person
//   $legal_rep_links  Boolean  settings.detection.lk3_link_legal_rep
// One row: unit_ids (List<String>, empty when the person cannot be a mover).
OPTIONAL MATCH (:Person {person_id: $person_id})-[:HAS_EMPLOYMENT]->(e:Employment)
WHERE e.start_date <= $as_of
WITH e ORDER BY e.start_date, e.emp_id
WITH collect(e.unit_id) AS units
UNWIND range(1, size(units) - 1) AS k
WITH units[k - 1] AS a, units[k] AS b
WHERE a <> b
UNWIND [a, b] AS unit_id
WITH a, b, unit_id
MATCH (u:Org {unit_id: unit_id})
WITH a, b, u,
     EXISTS { MATCH (v:Org) WHERE v.phone_norm = u.phone_norm AND v <> u
                                  AND u.phone_norm <> '' AND NOT u.phone_norm =~ '0+' }
     OR EXISTS { MATCH (v:Org) WHERE v.email_norm = u.email_norm AND v <> u AND u.email_norm <> '' }
     OR ($legal_rep_links AND u:Unit AND trim(coalesce(u.legal_rep, '')) <> ''
         AND EXISTS { MATCH (v:Unit) WHERE v <> u AND v.legal_rep = u.legal_rep }) AS linked
WITH a, b, collect(DISTINCT CASE WHEN linked THEN u.unit_id END) AS linked_ends
WITH CASE WHEN size(linked_ends) = 2 THEN linked_ends ELSE [] END AS ends
UNWIND ends AS unit_id
RETURN collect(DISTINCT unit_id) AS unit_ids
