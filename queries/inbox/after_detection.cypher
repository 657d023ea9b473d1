// Notices of a detection run (queries/inbox.py):
// 1. per active case user, the alerts this run created in the user's scope (national: all; provincial:
//    those with a concerned unit in its province), one notice per user and run;
// 2. per assigned alert past its due date, one notice to the assignee per due date;
// 3. per rectification past its deadline, one notice to the assignee (else whoever decided it) per deadline.
// Parameters: $run_id String, $today Date, $roles List<String>, $now DateTime.
CALL () {
  MATCH (u:User)
  WHERE u.role IN $roles AND coalesce(u.disabled, false) = false
  CALL (u) {
    MATCH (a:Alert {created_run: $run_id})
    WHERE u.province IS NULL OR EXISTS { (a)-[:CONCERNS]->(:Unit {province: u.province}) }
    RETURN count(a) AS new, sum(CASE WHEN a.severity = 'high' THEN 1 ELSE 0 END) AS high
  }
  WITH u, new, high WHERE new > 0
  MERGE (n:Notice {notice_id: 'new_alerts|' + $run_id + '|' + u.user_id})
  ON CREATE SET n.user_id = u.user_id, n.kind = 'new_alerts', n.target = $run_id, n.at = $now, n.read = false,
                n.title = '检测新增预警 ' + toString(new) + ' 条（高风险 ' + toString(high) + ' 条）',
                n.link = '/alerts?status=open'
  RETURN count(n) AS c
  UNION ALL
  MATCH (a:Alert {status: 'assigned'})
  WHERE a.due IS NOT NULL AND a.due < $today AND a.assignee IS NOT NULL
  MERGE (n:Notice {notice_id: 'overdue|' + a.alert_id + '|' + toString(a.due)})
  ON CREATE SET n.user_id = a.assignee, n.kind = 'overdue', n.target = a.alert_id, n.at = $now, n.read = false,
                n.title = '预警 ' + a.alert_id + ' 已过核查期限（' + toString(a.due) + '）', n.link = '/alerts/' + a.alert_id
  RETURN count(n) AS c
  UNION ALL
  MATCH (a:Alert {status: 'rectification'})
  WHERE a.deadline IS NOT NULL AND a.deadline < $today AND coalesce(a.assignee, a.status_actor) IS NOT NULL
  MERGE (n:Notice {notice_id: 'deadline|' + a.alert_id + '|' + toString(a.deadline)})
  ON CREATE SET n.user_id = coalesce(a.assignee, a.status_actor), n.kind = 'deadline', n.target = a.alert_id,
                n.at = $now, n.read = false, n.link = '/alerts/' + a.alert_id,
                n.title = '预警 ' + a.alert_id + ' 整改期限已过（' + toString(a.deadline) + '）'
  RETURN count(n) AS c
}
RETURN sum(c) AS n
