// All person ids in key order (tagging walks them in batches). No parameters.
MATCH (p:Person)
RETURN p.person_id AS person_id
ORDER BY person_id
