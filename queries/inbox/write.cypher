// Write notices (MERGE on notice_id: writing the same notice twice changes nothing).
// Parameters: $rows [{notice_id, user_id, kind, title, link, target}], $now DateTime.
UNWIND $rows AS row
MERGE (n:Notice {notice_id: row.notice_id})
ON CREATE SET n.user_id = row.user_id, n.kind = row.kind, n.title = row.title, n.link = row.link,
              n.target = row.target, n.at = $now, n.read = false
