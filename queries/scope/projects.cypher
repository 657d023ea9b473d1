// The projects of $ids that a scope may see: led by the unit HR user's unit ($unit_id), or in the
// province ($province).
// Parameters: $ids List<String>; $unit_id, $province String or null (one of them set).
UNWIND $ids AS jid
MATCH (j:Project {project_id: jid})
WHERE ($unit_id IS NULL OR j.lead_unit_id = $unit_id) AND ($province IS NULL OR j.province = $province)
RETURN j.project_id AS project_id
