// The enabled user holding a token that has not expired. A user created before tokens expired (no
// expires_at) holds it for $legacy_days days from its creation.
// Parameters: $token_hash, $now (DateTime), $legacy_days (Integer)
MATCH (u:User {token_hash: $token_hash})
WITH u, coalesce(u.expires_at, u.created_at + duration({days: $legacy_days})) AS expires_at
WHERE coalesce(u.disabled, false) = false AND expires_at > $now
RETURN u.user_id AS user_id, u.role AS role, u.unit_id AS unit_id, u.name AS name, u.province AS province,
       expires_at
LIMIT 1
