// Number of nodes with an ingest label (count store look-ups, constant time). No parameters.
// 0 means a bulk load may defer the secondary indexes (ingest/loader.py).
CALL () {
  MATCH (n:Org) RETURN count(n) AS c
  UNION ALL MATCH (n:Person) RETURN count(n) AS c
  UNION ALL MATCH (n:Registration) RETURN count(n) AS c
  UNION ALL MATCH (n:Employment) RETURN count(n) AS c
  UNION ALL MATCH (n:Insurance) RETURN count(n) AS c
  UNION ALL MATCH (n:Expert) RETURN count(n) AS c
  UNION ALL MATCH (n:Project) RETURN count(n) AS c
  UNION ALL MATCH (n:Application) RETURN count(n) AS c
  UNION ALL MATCH (n:Award) RETURN count(n) AS c
  UNION ALL MATCH (n:Violation) RETURN count(n) AS c
  UNION ALL MATCH (n:Reorganization) RETURN count(n) AS c
}
RETURN sum(c) AS nodes
