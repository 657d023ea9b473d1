// The active user holding a token. Parameters: $token_hash
MATCH (u:User {token_hash: $token_hash})
WHERE coalesce(u.disabled, false) = false
RETURN u.user_id AS user_id, u.role AS role, u.unit_id AS unit_id, u.name AS name, u.province AS province
LIMIT 1
