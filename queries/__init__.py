"""The analyses over the graph: detection rules and alerts, expert search and recommendation,
credit, inspection draws, statistics, units, users and the audit log. Each module keeps its Cypher
in the folder of its name beside it (``graph.cypher.CypherFiles``)."""
