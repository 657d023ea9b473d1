// Experts with the facts conflict-of-interest checks need, and the province of the current unit.
// $as_of: date; $since: date (as_of − avoid_years); $vsince: date (as_of − violation_years);
// $units: list of excluded unit_id; $ids: list of person_id or null (= every expert).
MATCH (p:Person)-[:IS_EXPERT]->(e:Expert)
WHERE $ids IS NULL OR p.person_id IN $ids
WITH p, e,
     head(COLLECT { MATCH (p)-[:HAS_EMPLOYMENT]->(x:Employment)-[:AT]->(o:Org)
                    WHERE x.start_date <= $as_of AND (x.end_date IS NULL OR x.end_date >= $as_of)
                    RETURN o ORDER BY x.start_date DESC }) AS cur,
     head(COLLECT { MATCH (p)-[:HAS_REGISTRATION]->(r:Registration)-[:AT]->(o:Org)
                    WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
                    RETURN o ORDER BY r.valid_from DESC }) AS reg
RETURN e.expert_id AS expert_id, e.status AS status, e.level AS level, e.fields AS fields,
       p.person_id AS person_id, p.name AS name, toString(p.birth_date) AS birth_date,
       coalesce(cur.province, reg.province) AS province, coalesce(cur.name, reg.name) AS unit_name,
       coalesce(cur.unit_id, reg.unit_id) AS unit_id,
       COLLECT { MATCH (p)-[:HAS_EMPLOYMENT]->(x:Employment)-[:AT]->(o:Org)
                 WHERE o.unit_id IN $units AND x.start_date <= $as_of AND (x.end_date IS NULL OR x.end_date >= $since)
                 RETURN {kind: '任职', unit_id: o.unit_id, unit: o.name, from: toString(x.start_date), to: toString(x.end_date)} }
     + COLLECT { MATCH (p)-[:HAS_REGISTRATION]->(r:Registration)-[:AT]->(o:Org)
                 WHERE o.unit_id IN $units AND r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $since)
                 RETURN {kind: '注册', unit_id: o.unit_id, unit: o.name, from: toString(r.valid_from), to: toString(r.valid_to)} }
     + COLLECT { MATCH (p)-[:HAS_INSURANCE]->(i:Insurance)-[:AT]->(o:Org)
                 WHERE o.unit_id IN $units AND i.start_month <= $as_of
                   AND (i.end_month IS NULL OR i.end_month >= date.truncate('month', $since))
                 RETURN {kind: '社保', unit_id: o.unit_id, unit: o.name, from: toString(i.start_month), to: toString(i.end_month)} }
       AS unit_links,
       COLLECT { MATCH (v:Violation)-[:AGAINST]->(p)
                 WHERE v.decided IS NOT NULL AND v.decided >= $vsince AND v.decided <= $as_of
                 RETURN {violation_id: v.violation_id, category: v.category, severity: v.severity, decided: toString(v.decided)} }
       AS violations,
       COLLECT { MATCH (a:Alert)-[:CONCERNS]->(p)
                 WHERE a.status = 'open' AND a.severity = 'high'
                 RETURN {alert_id: a.alert_id, rule: a.rule} } AS alerts
