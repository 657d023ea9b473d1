// Facts of the experts in the pool that panels need beyond the expert index: title (senior =
// 国家级 or 正高级), saved panels served on in [$since, $as_of] (cooldown; none when $since is null),
// ratings received. $as_of: date; $since: date or null.
MATCH (p:Person)-[:IS_EXPERT]->(e:Expert {status: '在库'})
RETURN e.expert_id AS expert_id, p.title AS title,
       COLLECT { MATCH (e)<-[:HAS_MEMBER {role: 'member'}]-(pa:Panel)
                 WHERE $since IS NOT NULL AND pa.as_of >= $since AND pa.as_of <= $as_of
                 RETURN {panel_id: pa.panel_id, as_of: toString(pa.as_of)} ORDER BY pa.as_of DESC } AS recent,
       COLLECT { MATCH (e)<-[m:HAS_MEMBER]-(:Panel) WHERE m.rating IS NOT NULL RETURN m.rating } AS ratings
