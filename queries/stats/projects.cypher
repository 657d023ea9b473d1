// Projects by place, level and status (the plan-progress view).
// $unit_id: string or null (projects led by that unit); $province: string or null
MATCH (j:Project)
WHERE ($unit_id IS NULL OR EXISTS { (j)-[:LED_BY]->(:Org {unit_id: $unit_id}) })
  AND ($province IS NULL OR j.province = $province)
RETURN coalesce(j.province, '未知') AS province, coalesce(j.city, '未知') AS city,
       coalesce(j.county, '') AS county, coalesce(j.level, '未定') AS level,
       coalesce(j.status, '未知') AS status, count(*) AS n
