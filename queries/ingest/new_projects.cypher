// projects.csv rows not in the graph yet (fast path of ingest/writers.py: CREATE, no MERGE; the map SET
// comes last). Params: $rows [{k, line, h, p}] with distinct k, $file, $load_id.
UNWIND $rows AS row
CREATE (j:Project {project_id: row.k, src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: datetime(), row_hash: row.h})
WITH j, row
CALL (j, row) {
  WITH j, row WHERE row.p.lead_unit_id IS NOT NULL
  MATCH (o:Org {unit_id: row.p.lead_unit_id})
  CREATE (j)-[:LED_BY {src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: datetime(), row_hash: row.h}]->(o)
}
SET j += row.p
