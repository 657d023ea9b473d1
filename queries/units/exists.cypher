// Is there an organisation (unit or external org) with this code. Parameters: $unit_id
MATCH (u:Org {unit_id: $unit_id}) RETURN 1 AS ok LIMIT 1
