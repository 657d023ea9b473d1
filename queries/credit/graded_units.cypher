// Units that carry a credit grade now. No parameters.
MATCH (u:Unit)
WHERE u.credit_grade IS NOT NULL
RETURN u.unit_id AS unit_id
