// What a lookup shows of each project found. Parameters: $keys List<String> (project_ids); $today (unused).
UNWIND $keys AS k
MATCH (j:Project {project_id: k})
OPTIONAL MATCH (j)-[:LED_BY]->(o:Org)
RETURN k AS key, {project_id: j.project_id, name: j.name, province: j.province, city: j.city, level: j.level,
                  plan_type: j.plan_type, lead_unit_id: o.unit_id, lead_unit: o.name} AS item
