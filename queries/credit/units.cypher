// Units of units.csv that are graded, with the fields the credit report shows.
// $exclude_types: unit_type values not graded unless the unit holds a qualification (甲级/乙级):
// a government office or a university without one is not a planning unit.
MATCH (u:Unit)
WHERE NOT (coalesce(u.unit_type, '') IN $exclude_types AND coalesce(u.grade, '无') IN ['无', ''])
RETURN u.unit_id AS unit_id, u.name AS name, u.province AS province, u.region AS region,
       u.grade AS qualification
ORDER BY unit_id
