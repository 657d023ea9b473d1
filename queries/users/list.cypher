// All web users (never their token hash). No parameters.
MATCH (u:User)
RETURN u.user_id AS user_id, u.role AS role, u.unit_id AS unit_id, u.name AS name, u.province AS province,
       u.created_at AS created_at, u.expires_at AS expires_at, coalesce(u.disabled, false) AS disabled,
       u.disabled_at AS disabled_at
ORDER BY u.created_at
