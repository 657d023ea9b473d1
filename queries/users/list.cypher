// All web users (never their token hash). No parameters.
MATCH (u:User)
RETURN u.user_id AS user_id, u.role AS role, u.unit_id AS unit_id, u.name AS name, u.province AS province,
       u.created_at AS created_at, coalesce(u.disabled, false) AS disabled
ORDER BY u.created_at
