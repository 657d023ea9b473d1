// The violation record of a penalty outcome (DESIGN.md Casework): against the persons and units
// named, linked to the alert it comes from; credit and conflicts of interest count it like a
// violation loaded from violations.csv.
// Parameters: $alert_id, $violation_id, $subject_type, $subject_id, $category, $severity, $authority,
//   $penalty, $description, $actor (Strings); $subject_ids (List<String>: person_ids / unit_ids);
//   $points (Integer); $decided (Date); $now (DateTime).
MATCH (a:Alert {alert_id: $alert_id})
CREATE (v:Violation {violation_id: $violation_id, subject_type: $subject_type, subject_id: $subject_id,
                     subject_ids: $subject_ids, category: $category, severity: $severity, decided: $decided,
                     authority: $authority, penalty: $penalty, points: $points, description: $description,
                     alert_id: $alert_id, created_by: $actor, created_at: $now})
CREATE (v)-[:FROM_ALERT]->(a)
WITH v
CALL (v) { UNWIND $subject_ids AS k MATCH (p:Person {person_id: k}) CREATE (v)-[:AGAINST]->(p) }
CALL (v) { UNWIND $subject_ids AS k MATCH (o:Org {unit_id: k}) CREATE (v)-[:AGAINST]->(o) }
RETURN v.violation_id AS violation_id
