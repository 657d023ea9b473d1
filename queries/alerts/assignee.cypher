// The users an alert may be assigned to by a reference: the user_id, else the display name.
// Parameters: $ref (String).
MATCH (u:User)
WHERE u.user_id = $ref OR (u.name = $ref AND NOT EXISTS { MATCH (:User {user_id: $ref}) })
RETURN u.user_id AS user_id, u.name AS name, u.role AS role, u.province AS province,
       coalesce(u.disabled, false) AS disabled
