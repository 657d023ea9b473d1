// Which of $ids exist as :Org (reference resolution against the graph). Params: $ids [string].
UNWIND $ids AS id
MATCH (n:Org {unit_id: id})
RETURN id
