"""Neo4j: settings, driver handling, schema and the managed local server."""
