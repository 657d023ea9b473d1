// Disable a user (its token stops working); null if there is no such user.
// Parameters: $user_id, $now (DateTime)
MATCH (u:User {user_id: $user_id})
SET u.disabled = true, u.disabled_at = coalesce(u.disabled_at, $now)
RETURN u {.user_id, .role, .unit_id, .name, .province, .created_at, .expires_at, .disabled, .disabled_at} AS user
