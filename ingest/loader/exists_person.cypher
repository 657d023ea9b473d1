// Which of $ids exist as :Person (reference resolution against the graph). Params: $ids [string].
UNWIND $ids AS id
MATCH (n:Person {person_id: id})
RETURN id
