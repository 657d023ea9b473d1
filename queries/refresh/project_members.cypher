// The current members of projects a load created or changed: tagging reads a project's fields for each
// of its members (tagging/tagger/person_facts.cypher). Params: $project_ids (List<String>).
UNWIND $project_ids AS pid
MATCH (:Project {project_id: pid})<-[:MEMBER_OF]-(p:Person)
RETURN collect(DISTINCT p.person_id) AS person_ids
