// projects.csv rows not in the graph yet (the fast path of ingest/writers.py: plain CREATE, no MERGE).
// Every property is written in the CREATE pattern itself (no `SET n += row.p`, no Eager, one property
// write per record); the keys are exactly those of ingest.writers.to_row's `p` (tests/ingest check this),
// absent (null) values are simply not stored, as with `+=` on a new entity.
// Params: $rows [{k, line, h, p}] with distinct keys, $file, $load_id, $loaded_at (the batch's write time).
UNWIND $rows AS row
CREATE (j:Project {project_id: row.p.project_id, name: row.p.name, level: row.p.level, plan_type: row.p.plan_type,
                   province: row.p.province, city: row.p.city, county: row.p.county, lead_unit_id: row.p.lead_unit_id,
                   start_date: row.p.start_date, end_date: row.p.end_date, status: row.p.status,
                   description: row.p.description,
                   src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h})
WITH j, row
CALL (j, row) {
  WITH j, row WHERE row.p.lead_unit_id IS NOT NULL
  MATCH (o:Org {unit_id: row.p.lead_unit_id})
  CREATE (j)-[:LED_BY {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h}]->(o)
}
