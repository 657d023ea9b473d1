// Store raised alerts: create new ones (status open + event), refresh known ones (status and
// history kept), reopen closed ones whose condition holds again, and relink CONCERNS.
// Parameters:
//   $rows    List<Map>  one per alert: alert_id, rule, severity, score, summary, person_ids,
//                       unit_ids, project_id, application_id, period_from, period_to, evidence (JSON)
//   $now     DateTime   time of this detection run
//   $run_id  String     id of this run (closing uses it to find alerts not raised again)
//   $as_of   Date       the run's as-of date
UNWIND $rows AS row
MERGE (a:Alert {alert_id: row.alert_id})
ON CREATE SET a.status = 'open', a.first_seen = $now, a.created_run = $run_id
WITH a, row, a.status AS before, a.created_run = $run_id AS created
SET a.rule = row.rule, a.severity = row.severity, a.score = row.score, a.summary = row.summary,
    a.person_ids = row.person_ids, a.unit_ids = row.unit_ids, a.project_id = row.project_id,
    a.application_id = row.application_id, a.period_from = row.period_from, a.period_to = row.period_to,
    a.evidence = row.evidence, a.last_seen = $now, a.last_run = $run_id, a.as_of = $as_of,
    a.status = CASE WHEN before = 'closed' THEN 'open' ELSE before END,
    a.closed_at = CASE WHEN before = 'closed' THEN null ELSE a.closed_at END
FOREACH (_ IN CASE WHEN created OR before = 'closed' THEN [1] ELSE [] END |
  CREATE (a)-[:HAS_EVENT]->(:AlertEvent {
    at: $now, actor: 'detection', from_status: CASE WHEN created THEN null ELSE before END,
    to_status: 'open',
    comment: CASE WHEN created THEN '检测规则触发 raised by detection' ELSE '条件再次成立 condition holds again' END}))
WITH a, row
CALL (a) { MATCH (a)-[c:CONCERNS]->() DELETE c }
CALL (a, row) { UNWIND row.person_ids AS k MATCH (n:Person {person_id: k}) MERGE (a)-[:CONCERNS]->(n) }
CALL (a, row) { UNWIND row.unit_ids AS k MATCH (n:Org {unit_id: k}) MERGE (a)-[:CONCERNS]->(n) }
CALL (a, row) {
  UNWIND CASE WHEN row.project_id IS NULL THEN [] ELSE [row.project_id] END AS k
  MATCH (n:Project {project_id: k}) MERGE (a)-[:CONCERNS]->(n) }
CALL (a, row) {
  UNWIND CASE WHEN row.application_id IS NULL THEN [] ELSE [row.application_id] END AS k
  MATCH (n:Application {application_id: k}) MERGE (a)-[:CONCERNS]->(n) }
RETURN count(a) AS stored
