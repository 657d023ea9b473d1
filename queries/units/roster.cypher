// Unit HR's staff list: the unit's current staff (an employment or registration there active on
// $today) with, side by side, every registration, employment and insurance period of theirs that
// covers the month of $today (at this unit or elsewhere), each with its record_key (graph/records.py).
// Parameters: $unit_id; $today, $month (first day of its month), $month_end (last day) Dates; $limit.
MATCH (:Org {unit_id: $unit_id})<-[:AT]-(r)<-[:HAS_EMPLOYMENT|HAS_REGISTRATION]-(p:Person)
WHERE coalesce(r.start_date, r.valid_from, $today) <= $today AND coalesce(r.end_date, r.valid_to, $today) >= $today
WITH DISTINCT p
OPTIONAL MATCH (:Org {unit_id: $unit_id})-[:OWNED_BY]->(parent:Org)
WITH p, parent.unit_id AS parent_id
RETURN p.person_id AS person_id, p.name AS name, p.title AS title,
       COLLECT { MATCH (p)-[:HAS_REGISTRATION]->(x:Registration)-[:AT]->(o:Org)
                 WHERE x.valid_from <= $month_end AND (x.valid_to IS NULL OR x.valid_to >= $month)
                 RETURN {record_key: x.reg_id, unit_id: o.unit_id, unit_name: o.name, cert_no: x.cert_no,
                         from: toString(x.valid_from), to: toString(x.valid_to), own: o.unit_id = $unit_id}
                 ORDER BY x.valid_from } AS registrations,
       COLLECT { MATCH (p)-[:HAS_EMPLOYMENT]->(x:Employment)-[:AT]->(o:Org)
                 WHERE x.start_date <= $month_end AND (x.end_date IS NULL OR x.end_date >= $month)
                 RETURN {record_key: o.unit_id + '|' + toString(x.start_date), unit_id: o.unit_id, unit_name: o.name,
                         position: x.position, from: toString(x.start_date), to: toString(x.end_date),
                         own: o.unit_id = $unit_id}
                 ORDER BY x.start_date } AS employments,
       COLLECT { MATCH (p)-[:HAS_INSURANCE]->(x:Insurance)-[:AT]->(o:Org)
                 WHERE x.start_month <= $month AND (x.end_month IS NULL OR x.end_month >= $month)
                 RETURN {record_key: o.unit_id + '|' + toString(x.start_month), unit_id: o.unit_id,
                         unit_name: coalesce(x.payer_name, o.name), payer_type: x.payer_type,
                         from: toString(x.start_month), to: toString(x.end_month),
                         own: o.unit_id = $unit_id OR o.unit_id = parent_id}
                 ORDER BY x.start_month } AS insurance
ORDER BY name, person_id
LIMIT $limit
