// A person's current record node of one kind by its key, with the organisation it is at.
// Parameters: $person_id; $rel (HAS_REGISTRATION|HAS_EMPLOYMENT|HAS_INSURANCE), $label (its record
// label), $key (the key property's name), $id (the key) — $rel, $label and $key come from
// graph.records.KINDS, never from input.
MATCH (p:Person {person_id: $person_id})-[:$($rel)]->(r:$($label))
WHERE r[$key] = $id
OPTIONAL MATCH (r)-[:AT]->(o:Org)
RETURN r {.*, unit_name: o.name, unit_province: o.province} AS record
LIMIT 1
