// List alerts with filters, most severe first, one page.
// Parameters (each null = no filter):
//   $rule, $severity, $status   exact match
//   $province   String  province of any concerned unit (Unit.province)
//   $unit_id    String  the alert concerns this unit (unit HR scope)
//   $person_id  String  the alert concerns this person
//   $skip, $limit  Integer  the page
MATCH (a:Alert)
WHERE ($rule IS NULL OR a.rule = $rule)
  AND ($severity IS NULL OR a.severity = $severity)
  AND ($status IS NULL OR a.status = $status)
  AND ($person_id IS NULL OR $person_id IN a.person_ids)
  AND ($unit_id IS NULL OR $unit_id IN a.unit_ids)
  AND ($province IS NULL OR EXISTS { MATCH (a)-[:CONCERNS]->(u:Unit) WHERE u.province = $province })
WITH a ORDER BY CASE a.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, a.score DESC, a.alert_id
WITH collect(a) AS hits
RETURN size(hits) AS count, [x IN hits[$skip..($skip + $limit)] | x {.*}] AS data
