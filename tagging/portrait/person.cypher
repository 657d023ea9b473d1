// Everything a person's portrait shows; each fact with its source (file, line, load: shown to inspectors
// and admins). $person_id: string.
MATCH (p:Person {person_id: $person_id})
RETURN p {.person_id, .name, .gender, .education, .school, .major, .title, .phone, .email, .civil_servant,
          .retired, .bio, .profile_text, birth_date: toString(p.birth_date)} AS person,
       {file: p.src_file, line: p.src_line, load_id: p.load_id, loaded_at: toString(p.loaded_at)} AS source,
       COLLECT { MATCH (p)-[:HAS_REGISTRATION]->(r:Registration) OPTIONAL MATCH (r)-[:AT]->(o:Org)
                 RETURN {record_key: r.reg_id, cert_no: r.cert_no, unit_id: r.unit_id, unit_name: o.name, valid_from: toString(r.valid_from),
                         valid_to: toString(r.valid_to), source: {file: r.src_file, line: r.src_line, load_id: r.load_id, loaded_at: toString(r.loaded_at)}} ORDER BY r.valid_from } AS registrations,
       COLLECT { MATCH (p)-[:HAS_EMPLOYMENT]->(x:Employment) OPTIONAL MATCH (x)-[:AT]->(o:Org)
                 RETURN {record_key: x.unit_id + '|' + toString(x.start_date), unit_id: x.unit_id, unit_name: o.name,
                         province: o.province, position: x.position,
                         start_date: toString(x.start_date), end_date: toString(x.end_date), source: {file: x.src_file, line: x.src_line, load_id: x.load_id, loaded_at: toString(x.loaded_at)}} ORDER BY x.start_date } AS employments,
       COLLECT { MATCH (p)-[:HAS_INSURANCE]->(i:Insurance) OPTIONAL MATCH (i)-[:AT]->(o:Org)
                 RETURN {record_key: i.unit_id + '|' + toString(i.start_month), unit_id: i.unit_id,
                         payer_name: coalesce(i.payer_name, o.name), payer_type: i.payer_type,
                         province: i.province, start_month: toString(i.start_month), end_month: toString(i.end_month), source: {file: i.src_file, line: i.src_line, load_id: i.load_id, loaded_at: toString(i.loaded_at)}}
                 ORDER BY i.start_month } AS insurance,
       COLLECT { MATCH (p)-[m:MEMBER_OF]->(j:Project)
                 RETURN {record_key: j.project_id + '|' + m.role, project_id: j.project_id, name: j.name, level: j.level, plan_type: j.plan_type, province: j.province,
                         city: j.city, role: m.role, unit_id: m.unit_id, start_date: toString(j.start_date),
                         end_date: toString(j.end_date), status: j.status, source: {file: m.src_file, line: m.src_line, load_id: m.load_id, loaded_at: toString(m.loaded_at)}} ORDER BY j.start_date DESC } AS projects,
       COLLECT { MATCH (a:Award)-[:TO_PERSON]->(p)
                 RETURN {award_id: a.award_id, name: a.name, level: a.level, year: a.year, project_id: a.project_id, source: {file: a.src_file, line: a.src_line, load_id: a.load_id, loaded_at: toString(a.loaded_at)}}
                 ORDER BY a.year DESC } AS awards,
       COLLECT { MATCH (v:Violation)-[:AGAINST]->(p)
                 RETURN {violation_id: v.violation_id, category: v.category, severity: v.severity,
                         decided: toString(v.decided), authority: v.authority, penalty: v.penalty, points: v.points,
                         description: v.description, source: {file: v.src_file, line: v.src_line, load_id: v.load_id, loaded_at: toString(v.loaded_at)}} ORDER BY v.decided DESC } AS violations,
       COLLECT { MATCH (p)-[:IS_EXPERT]->(e:Expert)
                 RETURN {expert_id: e.expert_id, level: e.level, fields: e.fields, appointed: toString(e.appointed),
                         status: e.status, source: {file: e.src_file, line: e.src_line, load_id: e.load_id, loaded_at: toString(e.loaded_at)},
                         status_source: e.status_source, status_reason: e.status_reason,
                         status_at: toString(e.status_at),
                         status_history: COLLECT { MATCH (e)-[:HAS_STATUS]->(s:ExpertStatus)
                                                   RETURN {status: s.status, source: s.source, at: toString(coalesce(s.at, s.loaded_at)),
                                                           reason: s.reason, actor: s.actor, load_id: s.load_id}
                                                   ORDER BY coalesce(s.at, s.loaded_at) IS NOT NULL, coalesce(s.at, s.loaded_at) },
                         panels: COLLECT { MATCH (e)<-[m:HAS_MEMBER]-(pa:Panel)
                                           RETURN {panel_id: pa.panel_id, text: pa.text, as_of: toString(pa.as_of),
                                                   role: m.role, rating: m.rating, comment: m.comment}
                                           ORDER BY pa.as_of DESC, pa.panel_id }} } AS experts,
       COLLECT { MATCH (p)-[r:HAS_TAG]->(t:Tag)
                 RETURN {tag_id: t.tag_id, label: t.label, label_en: t.label_en, kind: t.kind, parent: t.parent,
                         weight: r.weight, evidence: r.evidence, updated_at: toString(r.updated_at)}
                 ORDER BY r.weight DESC } AS tags,
       COLLECT { MATCH (a:Alert)-[:CONCERNS]->(p)
                 RETURN {alert_id: a.alert_id, rule: a.rule, severity: a.severity, status: a.status, summary: a.summary,
                         score: a.score, period_from: toString(a.period_from), period_to: toString(a.period_to),
                         provinces: COLLECT { MATCH (a)-[:CONCERNS]->(u:Unit) WHERE u.province IS NOT NULL
                                              RETURN DISTINCT u.province }}
                 ORDER BY CASE a.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, a.alert_id } AS alerts,
       COLLECT { MATCH (p)-[:MEMBER_OF]->(j:Project)<-[:MEMBER_OF]-(q:Person)
                 WHERE q <> p
                 WITH q, count(DISTINCT j) AS shared, collect(DISTINCT j.project_id)[..5] AS project_ids
                 RETURN {person_id: q.person_id, name: q.name, shared_projects: shared, project_ids: project_ids}
                 ORDER BY shared DESC, q.person_id LIMIT 10 } AS collaborators
