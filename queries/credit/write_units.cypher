// Write the credit grade of units. $rows: [{unit_id, index, grade, as_of, factors (JSON)}]
UNWIND $rows AS row
MATCH (u:Unit {unit_id: row.unit_id})
SET u.credit_index = row.index, u.credit_grade = row.grade, u.credit_as_of = row.as_of,
    u.credit_factors = row.factors
