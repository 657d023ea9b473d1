// Experts filtered by level and field with their current unit (province is filtered by the caller,
// normalised). $as_of: date; $level: string or null; $field_tags: list of tag_id or null; $field: string or null;
// $ids: list of person_id or null (restrict to these).
MATCH (p:Person)-[:IS_EXPERT]->(e:Expert)
WHERE ($ids IS NULL OR p.person_id IN $ids)
  AND ($level IS NULL OR e.level = $level)
  AND ($field IS NULL OR any(f IN coalesce(e.fields, []) WHERE f CONTAINS $field)
       OR EXISTS { MATCH (p)-[:HAS_TAG]->(t:Tag) WHERE t.tag_id IN coalesce($field_tags, []) })
WITH p, e,
     head(COLLECT { MATCH (p)-[:HAS_EMPLOYMENT]->(x:Employment)-[:AT]->(o:Org)
                    WHERE x.start_date <= $as_of AND (x.end_date IS NULL OR x.end_date >= $as_of)
                    RETURN o ORDER BY x.start_date DESC }) AS cur,
     head(COLLECT { MATCH (p)-[:HAS_REGISTRATION]->(r:Registration)-[:AT]->(o:Org)
                    WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
                    RETURN o ORDER BY r.valid_from DESC }) AS reg
WITH p, e, coalesce(cur, reg) AS unit
RETURN e.expert_id AS expert_id, p.person_id AS person_id, p.name AS name, e.level AS level,
       e.status AS status, e.fields AS fields, unit.province AS province, unit.name AS unit_name,
       unit.unit_id AS unit_id
