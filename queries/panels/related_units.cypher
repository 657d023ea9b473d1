// Units related to the excluded units by an LK2 (关联单位) or LK3 (人员循环圈) alert that is not
// dismissed (a dismissed alert is a false positive: no relation). $units: list of unit_id.
UNWIND $units AS uid
MATCH (a:Alert)-[:CONCERNS]->(:Org {unit_id: uid})
WHERE a.rule IN ['LK2', 'LK3'] AND coalesce(a.status, 'open') <> 'dismissed'
MATCH (a)-[:CONCERNS]->(o:Org)
WHERE o.unit_id <> uid
RETURN uid AS excluded, o.unit_id AS unit_id, o.name AS unit, a.alert_id AS alert_id, a.rule AS rule
ORDER BY excluded, unit_id, alert_id
