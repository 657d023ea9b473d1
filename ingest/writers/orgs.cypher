// External organisations (payers, employers, parents, ... not in units.csv) referenced by a batch.
// Params: $orgs [{unit_id, name, unit_type, line, h}], $file, $load_id, $loaded_at.
// Only created, never overwritten: a unit of units.csv keeps its own properties. A later payer
// name fills in the name of an external org first seen without one.
UNWIND $orgs AS row
MERGE (o:Org {unit_id: row.unit_id})
ON CREATE SET o.external = true, o.name = row.name, o.unit_type = row.unit_type, o.src_file = $file, o.src_line = row.line, o.load_id = $load_id, o.loaded_at = $loaded_at, o.row_hash = row.h
WITH o, row WHERE o.external AND o.name IS NULL AND row.name IS NOT NULL
SET o.name = row.name, o.unit_type = coalesce(o.unit_type, row.unit_type)
