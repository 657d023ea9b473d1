// A dispute as its resolution needs it. Parameters: $dispute_id.
MATCH (d:Dispute {dispute_id: $dispute_id})
RETURN d.status AS status, d.kind AS kind, d.person_id AS person_id, d.record_key AS record_key,
       d.filed_by AS filed_by, coalesce(d.provinces, []) AS provinces
