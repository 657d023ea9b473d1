// Write credit points of registered planners. $rows: [{person_id, points, as_of}]
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
SET p.credit_points = row.points, p.credit_as_of = row.as_of
