// An open dispute on a person's record, if any. Parameters: $person_id, $kind, $key (record_key).
MATCH (d:Dispute {person_id: $person_id, kind: $kind, record_key: $key, status: 'open'})
RETURN d.dispute_id AS dispute_id
LIMIT 1
