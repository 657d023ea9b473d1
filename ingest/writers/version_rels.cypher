// Keep the values of changed relationship records (MEMBER_OF, DECLARES) as versions before their rows
// overwrite them: (person)-[:HAS_VERSION]->(:Version) with the key of the record and its properties as
// they were. Params: $items [{eid, owner, key: {project_id | application_id, ...}}], $keep [String],
// $kind, $load_id, $loaded_at (DateTime).
UNWIND $items AS it
MATCH ()-[r]->() WHERE elementId(r) = it.eid
MATCH (o) WHERE elementId(o) = it.owner
CREATE (o)-[:HAS_VERSION]->(v:Version {record_kind: $kind, replaced_by: $load_id, replaced_at: $loaded_at})
SET v += it.key
FOREACH (k IN $keep | SET v[k] = r[k])
