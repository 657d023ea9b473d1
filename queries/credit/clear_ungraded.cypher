// Remove stale credit results from units no longer graded (scope or data changed).
// $unit_ids: the units to clear (computed in Python from graded_units)
UNWIND $unit_ids AS uid
MATCH (u:Unit {unit_id: uid})
REMOVE u.credit_index, u.credit_grade, u.credit_as_of, u.credit_factors
