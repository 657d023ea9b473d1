// Create a web user; the token itself is never stored, only its SHA-256.
// Parameters: $user_id, $role, $unit_id (or null), $name, $token_hash, $province (or null: national),
// $now, $expires_at (DateTime)
CREATE (u:User {user_id: $user_id, role: $role, unit_id: $unit_id, name: $name, province: $province,
                token_hash: $token_hash, created_at: $now, expires_at: $expires_at, disabled: false})
RETURN u.user_id AS user_id
