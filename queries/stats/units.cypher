// Units grouped by region, province, credit grade and qualification grade.
// $unit_id: string or null (restrict to one unit); $province: string or null (to one province)
MATCH (u:Unit)
WHERE ($unit_id IS NULL OR u.unit_id = $unit_id) AND ($province IS NULL OR u.province = $province)
RETURN coalesce(u.region, '未知') AS region, coalesce(u.province, '未知') AS province,
       coalesce(u.credit_grade, '未评') AS credit_grade, coalesce(u.grade, '无') AS qualification,
       count(*) AS n
