// LK1 共用联系方式 — at least 2 distinct persons with the same normalised phone (phone_norm) or
// e-mail (email_norm). Placeholders normalise to null at ingest and are ignored; an empty or
// all-zero value is ignored here as well, defensively.
// Parameters:
//   $person_id  String  optional: only contacts of this person (null = every contact)
// One row per shared contact value: its kind, the value and the sorted person ids.
CALL () {
  MATCH (x:Person {person_id: $person_id})
  UNWIND [['phone', x.phone_norm], ['email', x.email_norm]] AS kv
  WITH kv WHERE kv[1] IS NOT NULL
  RETURN kv[0] AS kind, kv[1] AS value
  UNION
  WITH $person_id AS pid WHERE pid IS NULL
  MATCH (x:Person) WHERE x.phone_norm IS NOT NULL
  WITH x.phone_norm AS value, count(*) AS n WHERE n >= 2
  RETURN 'phone' AS kind, value
  UNION
  WITH $person_id AS pid WHERE pid IS NULL
  MATCH (x:Person) WHERE x.email_norm IS NOT NULL
  WITH x.email_norm AS value, count(*) AS n WHERE n >= 2
  RETURN 'email' AS kind, value
}
WITH kind, value
WHERE value <> '' AND NOT value =~ '0+'
CALL (kind, value) {
  MATCH (p:Person) WHERE kind = 'phone' AND p.phone_norm = value RETURN p
  UNION
  MATCH (p:Person) WHERE kind = 'email' AND p.email_norm = value RETURN p
}
WITH kind, value, p ORDER BY p.person_id
WITH kind, value, collect(p.person_id) AS person_ids
WHERE size(person_ids) >= 2
RETURN kind, value, person_ids
