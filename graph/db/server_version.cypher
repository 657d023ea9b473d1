// The Neo4j server's version (liveness check of /api/health). No parameters.
CALL dbms.components() YIELD versions RETURN versions[0] AS version
