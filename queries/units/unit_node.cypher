// A planning unit's own properties (credit fields included). Parameters: $unit_id
MATCH (u:Unit {unit_id: $unit_id}) RETURN u {.*} AS unit
