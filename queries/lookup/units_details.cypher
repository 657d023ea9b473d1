// What a lookup shows of each organisation found. Parameters: $keys List<String> (unit_ids); $today (unused).
UNWIND $keys AS k
MATCH (o:Org {unit_id: k})
RETURN k AS key, {unit_id: o.unit_id, name: o.name, province: o.province, city: o.city, grade: o.grade,
                  unit_type: o.unit_type, external: NOT o:Unit} AS item
