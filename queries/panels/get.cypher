// A saved panel with its roster (members then alternates, by seat). $panel_id: string.
MATCH (pa:Panel {panel_id: $panel_id})
RETURN pa {.panel_id, .text, .province, .level, .plan_type, .k, .exclude_unit_ids, .draw_id, .mode, .saved_by,
           as_of: toString(pa.as_of), saved_at: toString(pa.saved_at)} AS panel,
       COLLECT { MATCH (pa)-[m:HAS_MEMBER]->(e:Expert)<-[:IS_EXPERT]-(p:Person)
                 RETURN {expert_id: e.expert_id, person_id: p.person_id, name: p.name, level: e.level, role: m.role,
                         seat: m.seat, score: m.score, rating: m.rating, comment: m.comment,
                         rated_at: toString(m.rated_at), rated_by: m.rated_by}
                 ORDER BY CASE m.role WHEN 'member' THEN 0 ELSE 1 END, m.seat } AS roster
