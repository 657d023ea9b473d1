// Which of the given records (units, persons, projects, applications) current records still refer to:
// a relationship written by a load (src_file) touches the node, other than its own outgoing links
// ($own: e.g. a project's LED_BY) and those of withdrawn records (HAD, WAS_…, graph/records.py).
// Params: $eids [String], $own [String].
UNWIND $eids AS eid
MATCH (n) WHERE elementId(n) = eid
RETURN eid, EXISTS {
  MATCH (n)-[r]-() WHERE r.src_file IS NOT NULL AND type(r) <> 'HAD' AND NOT type(r) STARTS WITH 'WAS_'
                     AND NOT (type(r) IN $own AND startNode(r) = n)
} AS referenced
