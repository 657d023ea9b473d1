// Keep the values of changed records as versions before their rows overwrite them (DESIGN.md "Data
// lifecycle"): (record)-[:HAS_VERSION]->(:Version) with the row's properties as they were (provenance
// included: the load, file and line that brought them) and the load that replaced them. An external
// organisation becoming a unit is no change of a units.csv record and keeps no version.
// Params: $items [{eid}] (the records' element ids), $keep [String] (the row's property names and the
// provenance keys), $kind (the file name, e.g. 'employments'), $load_id, $loaded_at (DateTime).
UNWIND $items AS it
MATCH (n) WHERE elementId(n) = it.eid AND NOT coalesce(n.external, false)
CREATE (n)-[:HAS_VERSION]->(v:Version {record_kind: $kind, replaced_by: $load_id, replaced_at: $loaded_at})
FOREACH (k IN $keep | SET v[k] = n[k])
