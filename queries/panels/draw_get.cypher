// One recorded draw. $draw_id: string.
MATCH (d:PanelDraw {draw_id: $draw_id})
RETURN d.draw_id AS draw_id, d.seed AS seed, toString(d.as_of) AS as_of, d.mode AS mode, d.request AS request,
       d.record AS record, toString(d.recorded_at) AS recorded_at, d.recorded_by AS recorded_by
