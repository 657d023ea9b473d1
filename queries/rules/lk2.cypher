// LK2 关联单位 — at least 2 distinct units with the same normalised phone or e-mail.
// Parameters: none used by the rule ($as_of and $person_id are accepted and ignored: the rule is
// about units, so a --person run skips it). Placeholders (null) and empty/all-zero values ignored.
// One row per shared contact value: its kind, the value and the sorted unit ids.
CALL () {
  MATCH (u:Org) WHERE u.phone_norm IS NOT NULL
  RETURN 'phone' AS kind, u.phone_norm AS value, u.unit_id AS unit_id
  UNION
  MATCH (u:Org) WHERE u.email_norm IS NOT NULL
  RETURN 'email' AS kind, u.email_norm AS value, u.unit_id AS unit_id
}
WITH kind, value, unit_id
WHERE value <> '' AND NOT value =~ '0+'
WITH kind, value, unit_id ORDER BY unit_id
WITH kind, value, collect(DISTINCT unit_id) AS unit_ids
WHERE size(unit_ids) >= 2
RETURN kind, value, unit_ids
