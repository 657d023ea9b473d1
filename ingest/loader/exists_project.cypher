// Which of $ids exist as :Project (reference resolution against the graph). Params: $ids [string].
UNWIND $ids AS id
MATCH (n:Project {project_id: id})
RETURN id
