// Evidence subgraph of one alert: the alert, what it CONCERNS, the nodes named by its evidence
// records, and every relationship among those nodes.
// Parameters: $alert_id String; key lists $person_ids, $unit_ids, $registration_ids,
//   $employment_ids, $insurance_ids, $project_ids, $application_ids, $reorganization_ids.
CALL () {
  MATCH (n:Alert {alert_id: $alert_id}) RETURN n
  UNION
  MATCH (:Alert {alert_id: $alert_id})-[:CONCERNS]->(n) RETURN n
  UNION
  UNWIND $person_ids AS k MATCH (n:Person {person_id: k}) RETURN n
  UNION
  UNWIND $unit_ids AS k MATCH (n:Org {unit_id: k}) RETURN n
  UNION
  UNWIND $registration_ids AS k MATCH (n:Registration {reg_id: k}) RETURN n
  UNION
  UNWIND $employment_ids AS k MATCH (n:Employment {emp_id: k}) RETURN n
  UNION
  UNWIND $insurance_ids AS k MATCH (n:Insurance {ins_id: k}) RETURN n
  UNION
  UNWIND $project_ids AS k MATCH (n:Project {project_id: k}) RETURN n
  UNION
  UNWIND $application_ids AS k MATCH (n:Application {application_id: k}) RETURN n
  UNION
  UNWIND $reorganization_ids AS k MATCH (n:Reorganization {reorg_id: k}) RETURN n
}
WITH collect(n) AS nodes
CALL (nodes) {
  UNWIND nodes AS x
  MATCH (x)-[r]->(y) WHERE y IN nodes
  RETURN collect({source: elementId(x), target: elementId(y), type: type(r)}) AS edges
}
RETURN [n IN nodes | {eid: elementId(n), labels: labels(n), props: properties(n)}] AS nodes, edges
