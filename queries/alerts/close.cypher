// Close open alerts of the scope that was run but that this run did not raise again.
// Parameters:
//   $rules      List<String>  rule codes that were run
//   $person_id  String        the --person scope (null = all persons)
//   $person_ids List<String>  a run over several persons (queries/refresh.py): alerts naming any (null = all)
//   $run_id     String        this run's id (alerts raised by it carry a.last_run = $run_id)
//   $now        DateTime
MATCH (a:Alert {status: 'open'})
WHERE a.rule IN $rules
  AND ($person_id IS NULL OR $person_id IN a.person_ids)
  AND ($person_ids IS NULL OR any(p IN a.person_ids WHERE p IN $person_ids))
  AND coalesce(a.last_run, '') <> $run_id
SET a.status = 'closed', a.closed_at = $now
CREATE (a)-[:HAS_EVENT]->(:AlertEvent {at: $now, actor: 'detection', from_status: 'open',
                                       to_status: 'closed', comment: '条件不再成立 condition no longer holds'})
RETURN count(a) AS closed
