// One dispute within a scope. Parameters: $dispute_id; $unit_id, $province (null = no limit).
MATCH (d:Dispute {dispute_id: $dispute_id})
WHERE ($unit_id IS NULL OR d.unit_id = $unit_id) AND ($province IS NULL OR $province IN d.provinces)
RETURN d {.dispute_id, .person_id, .person_name, .unit_id, .unit_name, .kind, .record_key, .record, .reason,
          .status, .filed_by, .filed_at, .resolution, .resolved_by, .resolved_at} AS dispute
