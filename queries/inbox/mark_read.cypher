// Mark a user's notices read. Parameters: $user_id, $ids List<String> or null (= all), $now DateTime.
MATCH (n:Notice {user_id: $user_id})
WHERE NOT n.read AND ($ids IS NULL OR n.notice_id IN $ids)
SET n.read = true, n.read_at = $now
RETURN count(n) AS n
