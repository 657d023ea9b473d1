// List alerts with filters, most severe first, one page.
// Parameters (each null = no filter):
//   $rule, $severity, $status   exact match
//   $statuses   List<String>  any of these statuses
//   $province   String  province of any concerned unit (Unit.province)
//   $scope      String  a provincial user's province (same test as $province; both may be given)
//   $unit_id    String  the alert concerns this unit (unit HR scope)
//   $person_id  String  the alert concerns this person
//   $assignee   String  user_id the alert is assigned to
//   $skip, $limit  Integer  the page
MATCH (a:Alert)
WHERE ($rule IS NULL OR a.rule = $rule)
  AND ($severity IS NULL OR a.severity = $severity)
  AND ($status IS NULL OR a.status = $status)
  AND ($statuses IS NULL OR a.status IN $statuses)
  AND ($person_id IS NULL OR $person_id IN a.person_ids)
  AND ($unit_id IS NULL OR $unit_id IN a.unit_ids)
  AND ($assignee IS NULL OR a.assignee = $assignee)
  AND ($province IS NULL OR EXISTS { MATCH (a)-[:CONCERNS]->(u:Unit) WHERE u.province = $province })
  AND ($scope IS NULL OR EXISTS { MATCH (a)-[:CONCERNS]->(u:Unit) WHERE u.province = $scope })
WITH a ORDER BY CASE a.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, a.score DESC, a.alert_id
WITH collect(a) AS hits
RETURN size(hits) AS count, [x IN hits[$skip..($skip + $limit)] | x {.*}] AS data
