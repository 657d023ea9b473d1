// Where each record named by an alert's evidence came from (DESIGN.md "Data lifecycle"): the load, file
// and line of its values; whether it is still current or was withdrawn (retired by a snapshot load, set
// aside by a dispute: graph/records.py), when and by what; and the loads that changed it after the alert
// was last raised ($since): the values the alert saw are then a version.
// Params: $registration_ids, $employment_ids, $insurance_ids, $person_ids, $unit_ids, $project_ids,
//   $application_ids, $reorganization_ids [String]; $members [{project_id, person_id}];
//   $declared [{application_id, person_id}]; $since (String: ISO date-time, or null).
CALL () {
  UNWIND $registration_ids AS id
  OPTIONAL MATCH (n:Registration {reg_id: id})
  OPTIONAL MATCH (w:Withdrawn {record_id: id}) WHERE n IS NULL AND w.kind = 'registration'
  RETURN 'registration' AS kind, id, coalesce(n, w) AS x
  UNION ALL
  UNWIND $employment_ids AS id
  OPTIONAL MATCH (n:Employment {emp_id: id})
  OPTIONAL MATCH (w:Withdrawn {record_id: id}) WHERE n IS NULL AND w.kind = 'employment'
  RETURN 'employment' AS kind, id, coalesce(n, w) AS x
  UNION ALL
  UNWIND $insurance_ids AS id
  OPTIONAL MATCH (n:Insurance {ins_id: id})
  OPTIONAL MATCH (w:Withdrawn {record_id: id}) WHERE n IS NULL AND w.kind = 'insurance'
  RETURN 'insurance' AS kind, id, coalesce(n, w) AS x
  UNION ALL
  UNWIND $person_ids AS id
  OPTIONAL MATCH (n:Person {person_id: id})
  OPTIONAL MATCH (w:Withdrawn {record_id: id}) WHERE n IS NULL AND w.kind = 'person'
  RETURN 'person' AS kind, id, coalesce(n, w) AS x
  UNION ALL
  UNWIND $unit_ids AS id
  OPTIONAL MATCH (n:Org {unit_id: id})
  OPTIONAL MATCH (w:Withdrawn {record_id: id}) WHERE n IS NULL AND w.kind = 'unit'
  RETURN 'unit' AS kind, id, coalesce(n, w) AS x
  UNION ALL
  UNWIND $project_ids AS id
  OPTIONAL MATCH (n:Project {project_id: id})
  OPTIONAL MATCH (w:Withdrawn {record_id: id}) WHERE n IS NULL AND w.kind = 'project'
  RETURN 'project' AS kind, id, coalesce(n, w) AS x
  UNION ALL
  UNWIND $application_ids AS id
  OPTIONAL MATCH (n:Application {application_id: id})
  OPTIONAL MATCH (w:Withdrawn {record_id: id}) WHERE n IS NULL AND w.kind = 'application'
  RETURN 'application' AS kind, id, coalesce(n, w) AS x
  UNION ALL
  UNWIND $reorganization_ids AS id
  OPTIONAL MATCH (n:Reorganization {reorg_id: id})
  OPTIONAL MATCH (w:Withdrawn {record_id: id}) WHERE n IS NULL AND w.kind = 'reorganization'
  RETURN 'reorganization' AS kind, id, coalesce(n, w) AS x
}
RETURN kind, id, x IS NOT NULL AND NOT x:Withdrawn AS current, x.src_file AS file, x.src_line AS line,
       x.load_id AS load_id, toString(x.loaded_at) AS loaded_at, x.withdrawn AS withdrawn, x.withdrawn_by AS withdrawn_by,
       toString(x.withdrawn_at) AS withdrawn_at,
       [(x)-[:HAS_VERSION]->(v:Version) WHERE $since IS NOT NULL AND v.replaced_at > datetime($since) | v.replaced_by] AS changed_by
UNION ALL
UNWIND $members AS k
MATCH (:Person {person_id: k.person_id})-[m:MEMBER_OF|WAS_MEMBER_OF]->(:Project {project_id: k.project_id})
WITH k, m ORDER BY CASE WHEN m:MEMBER_OF THEN 0 ELSE 1 END, m.withdrawn_at DESC
WITH k, head(collect(m)) AS x
RETURN 'member' AS kind, k.project_id + '|' + k.person_id AS id, x:MEMBER_OF AS current, x.src_file AS file,
       x.src_line AS line, x.load_id AS load_id, toString(x.loaded_at) AS loaded_at, x.withdrawn AS withdrawn,
       x.withdrawn_by AS withdrawn_by, toString(x.withdrawn_at) AS withdrawn_at, [] AS changed_by
UNION ALL
UNWIND $declared AS k
MATCH (:Application {application_id: k.application_id})-[d:DECLARES|WAS_DECLARES]->(:Person {person_id: k.person_id})
WITH k, d ORDER BY CASE WHEN d:DECLARES THEN 0 ELSE 1 END, d.withdrawn_at DESC
WITH k, head(collect(d)) AS x
RETURN 'declared' AS kind, k.application_id + '|' + k.person_id AS id, x:DECLARES AS current, x.src_file AS file,
       x.src_line AS line, x.load_id AS load_id, toString(x.loaded_at) AS loaded_at, x.withdrawn AS withdrawn,
       x.withdrawn_by AS withdrawn_by, toString(x.withdrawn_at) AS withdrawn_at, [] AS changed_by
