// Live conflict-of-interest facts (DESIGN.md 回避), read from their sources for each request:
// links to the excluded units (employment, registration, insurance) from $as_of − avoid_years on,
// violations decided in [$vsince, $as_of], counting high-severity alerts, and experts not 在库.
// $units: list of unit_id; $as_of: date; $since: date (as_of − avoid_years); $vsince: date;
// $counting: alert statuses that count (queries.alerts.COUNTING).
// One row per (expert, fact): {expert_id, person_id, what: link|violation|alert|status, item}, and one
// row what = pool with item.ids = the expert_id of every expert 在库 now.
CALL () {
  UNWIND $units AS uid
  MATCH (o:Org {unit_id: uid})<-[:AT]-(x:Employment)<-[:HAS_EMPLOYMENT]-(p:Person)-[:IS_EXPERT]->(e:Expert)
  WHERE x.start_date <= $as_of AND (x.end_date IS NULL OR x.end_date >= $since)
  RETURN e.expert_id AS expert_id, p.person_id AS person_id, 'link' AS what,
         {kind: '任职', unit_id: o.unit_id, unit: o.name, from: toString(x.start_date), to: toString(x.end_date)} AS item
  UNION ALL
  UNWIND $units AS uid
  MATCH (o:Org {unit_id: uid})<-[:AT]-(r:Registration)<-[:HAS_REGISTRATION]-(p:Person)-[:IS_EXPERT]->(e:Expert)
  WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $since)
  RETURN e.expert_id AS expert_id, p.person_id AS person_id, 'link' AS what,
         {kind: '注册', unit_id: o.unit_id, unit: o.name, from: toString(r.valid_from), to: toString(r.valid_to)} AS item
  UNION ALL
  UNWIND $units AS uid
  MATCH (o:Org {unit_id: uid})<-[:AT]-(i:Insurance)<-[:HAS_INSURANCE]-(p:Person)-[:IS_EXPERT]->(e:Expert)
  WHERE i.start_month <= $as_of AND (i.end_month IS NULL OR i.end_month >= date.truncate('month', $since))
  RETURN e.expert_id AS expert_id, p.person_id AS person_id, 'link' AS what,
         {kind: '社保', unit_id: o.unit_id, unit: o.name, from: toString(i.start_month), to: toString(i.end_month)} AS item
  UNION ALL
  MATCH (v:Violation)-[:AGAINST]->(p:Person)-[:IS_EXPERT]->(e:Expert)
  WHERE v.decided IS NOT NULL AND v.decided >= $vsince AND v.decided <= $as_of
  RETURN e.expert_id AS expert_id, p.person_id AS person_id, 'violation' AS what,
         {violation_id: v.violation_id, category: v.category, severity: v.severity, decided: toString(v.decided)} AS item
  UNION ALL
  MATCH (a:Alert)-[:CONCERNS]->(p:Person)-[:IS_EXPERT]->(e:Expert)
  WHERE a.status IN $counting AND a.severity = 'high'
  RETURN e.expert_id AS expert_id, p.person_id AS person_id, 'alert' AS what, {alert_id: a.alert_id, rule: a.rule} AS item
  UNION ALL
  MATCH (p:Person)-[:IS_EXPERT]->(e:Expert)
  WHERE e.status IS NULL OR e.status <> '在库'
  RETURN e.expert_id AS expert_id, p.person_id AS person_id, 'status' AS what, {status: e.status} AS item
  UNION ALL
  MATCH (e:Expert {status: '在库'})
  RETURN null AS expert_id, null AS person_id, 'pool' AS what, {ids: collect(e.expert_id)} AS item
}
RETURN expert_id, person_id, what, item
