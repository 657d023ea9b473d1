// File a dispute (status open) about a person's record; returns the filing unit's name and province.
// Parameters: $dispute_id, $person_id, $unit_id (the filer's unit), $kind, $key (record_key),
//   $record (JSON snapshot), $record_province (String or null), $reason, $user_id; $now DateTime.
MATCH (p:Person {person_id: $person_id})
OPTIONAL MATCH (u:Org {unit_id: $unit_id})
CREATE (d:Dispute {dispute_id: $dispute_id, person_id: $person_id, person_name: p.name, unit_id: $unit_id,
                   unit_name: u.name, kind: $kind, record_key: $key, record: $record, reason: $reason,
                   status: 'open', filed_by: $user_id, filed_at: $now,
                   provinces: [x IN [u.province, $record_province] WHERE x IS NOT NULL]})
CREATE (d)-[:ABOUT]->(p)
RETURN u.name AS unit_name, u.province AS unit_province
