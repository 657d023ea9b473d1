// The people with an employment or registration at a unit, with those records; current first.
// "current" = a record active on $today. Parameters: $unit_id, $today (Date), $current_only, $limit
MATCH (:Org {unit_id: $unit_id})<-[:AT]-(r)<-[:HAS_EMPLOYMENT|HAS_REGISTRATION]-(p:Person)
WITH p, r,
     coalesce(r.start_date, r.valid_from, $today) <= $today
       AND coalesce(r.end_date, r.valid_to, $today) >= $today AS active
WITH p,
     collect({kind: CASE WHEN r:Employment THEN 'employment' ELSE 'registration' END,
              start: coalesce(r.start_date, r.valid_from), end: coalesce(r.end_date, r.valid_to),
              position: r.position, cert_no: r.cert_no, active: active}) AS records,
     max(CASE WHEN active THEN 1 ELSE 0 END) = 1 AS current
WHERE NOT $current_only OR current
OPTIONAL MATCH (p)-[:IS_EXPERT]->(x:Expert)
RETURN p.person_id AS person_id, p.name AS name, p.gender AS gender, p.title AS title,
       p.education AS education, p.phone AS phone, current,
       any(rec IN records WHERE rec.kind = 'registration' AND rec.active) AS registered,
       x.level AS expert_level, records
ORDER BY current DESC, name
LIMIT $limit
