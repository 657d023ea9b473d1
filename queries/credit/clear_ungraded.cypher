// Remove stale credit results from units that are no longer graded (scope or data changed).
// $graded: list of the unit_ids graded in this run
MATCH (u:Unit)
WHERE u.credit_grade IS NOT NULL AND NOT u.unit_id IN $graded
REMOVE u.credit_index, u.credit_grade, u.credit_as_of, u.credit_factors
