// Saved panels, newest review first: {data, count}. $skip, $limit: int.
MATCH (pa:Panel)
WITH pa ORDER BY pa.as_of DESC, pa.panel_id
WITH collect(pa) AS saved
RETURN size(saved) AS count,
       [pa IN saved[$skip..$skip + $limit] | pa {.panel_id, .text, .province, .level, .k, .draw_id, .mode, .saved_by,
           as_of: toString(pa.as_of), saved_at: toString(pa.saved_at),
           members: COUNT { (pa)-[:HAS_MEMBER {role: 'member'}]->() },
           rated: COUNT { (pa)-[r:HAS_MEMBER {role: 'member'}]->() WHERE r.rating IS NOT NULL }}] AS data
