// Which of $ids exist as :Application (reference resolution against the graph). Params: $ids [string].
UNWIND $ids AS id
MATCH (n:Application {application_id: id})
RETURN id
