// Units absent from a units.csv snapshot that current records still refer to (as payer, employer, lead
// unit, ...): the unit record is retired and the organisation stays, as an external one, exactly as if
// units.csv had never named it. Its unit values are kept as a version marked retired (withdrawn); its credit grade
// (credit_* written by queries/credit.py) and OWNED_BY go; a later units.csv naming it makes it a unit again.
// Params: $eids [String], $keep [String] (the units row's property names and provenance), $strip [String]
// (the unit-only properties), $by (the load), $at (DateTime).
UNWIND $eids AS eid
MATCH (o:Unit) WHERE elementId(o) = eid
CREATE (o)-[:HAS_VERSION]->(v:Version {record_kind: 'units', replaced_by: $by, replaced_at: $at,
                                       withdrawn: 'retired', withdrawn_by: $by, withdrawn_at: $at})
FOREACH (k IN $keep | SET v[k] = o[k])
WITH o
CALL (o) { MATCH (o)-[r:OWNED_BY]->() WHERE r.src_file IS NOT NULL DELETE r }
REMOVE o:Unit
FOREACH (k IN $strip + [k IN keys(o) WHERE k STARTS WITH 'credit_'] | REMOVE o[k])
SET o.external = true, o.row_hash = null
RETURN count(o) AS demoted
