// One notice per active case user (inspector/admin) whose scope covers one of $provinces (national
// users always). notice_id = $notice_id + '|' + user_id.
// Parameters: $notice_id, $kind, $title, $link, $target (Strings), $provinces List<String>,
//   $roles List<String>, $now DateTime.
MATCH (u:User)
WHERE u.role IN $roles AND coalesce(u.disabled, false) = false
  AND (u.province IS NULL OR u.province IN $provinces)
MERGE (n:Notice {notice_id: $notice_id + '|' + u.user_id})
ON CREATE SET n.user_id = u.user_id, n.kind = $kind, n.title = $title, n.link = $link, n.target = $target,
              n.at = $now, n.read = false
