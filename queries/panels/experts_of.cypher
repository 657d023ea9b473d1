// Experts by expert_id with their person (saving a panel checks them). $ids: list of expert_id.
UNWIND $ids AS eid
MATCH (p:Person)-[:IS_EXPERT]->(e:Expert {expert_id: eid})
RETURN e.expert_id AS expert_id, e.status AS status, p.person_id AS person_id, p.name AS name
