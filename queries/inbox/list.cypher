// A user's notices, newest first, with the totals. Parameters: $user_id, $unread_only Boolean, $limit Integer.
MATCH (n:Notice {user_id: $user_id})
WITH n ORDER BY n.at DESC, n.notice_id
WITH collect(n) AS notices
WITH notices, [x IN notices WHERE NOT x.read] AS unread
RETURN size(notices) AS count, size(unread) AS unread,
       [x IN (CASE WHEN $unread_only THEN unread ELSE notices END)[..$limit] |
        x {.notice_id, .kind, .title, .link, .target, .read, at: toString(x.at)}] AS data
