// Disputes newest first, with the total. Parameters (null = no filter): $unit_id (the filer's unit),
//   $province (one of the dispute's provinces), $status, $person_id; $limit Integer.
MATCH (d:Dispute)
WHERE ($unit_id IS NULL OR d.unit_id = $unit_id)
  AND ($province IS NULL OR $province IN d.provinces)
  AND ($status IS NULL OR d.status = $status)
  AND ($person_id IS NULL OR d.person_id = $person_id)
WITH d ORDER BY d.filed_at DESC, d.dispute_id
WITH collect(d) AS found
RETURN size(found) AS count,
       [x IN found[..$limit] | x {.dispute_id, .person_id, .person_name, .unit_id, .unit_name, .kind, .record_key,
                               .record, .reason, .status, .filed_by, .filed_at, .resolution, .resolved_by,
                               .resolved_at}] AS data
