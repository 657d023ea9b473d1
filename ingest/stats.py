"""Entity counts of the graph (`plantalent stats`, `GET /api/stats`)."""

from __future__ import annotations

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.settings import Settings

CYPHER = CypherFiles(__file__, "stats")

STATS_KEYS = (
    "units", "organisations", "persons", "registrations", "employments", "insurance_periods", "experts",
    "projects", "project_members", "applications", "application_staff", "awards", "violations",
    "reorganizations",
)


def entity_counts(driver: Driver, settings: Settings) -> dict[str, int]:
    """Counts per entity with the DESIGN.md keys; organisations are :Org nodes that are not :Unit."""
    record = driver.execute_query(CYPHER.load("counts"), database_=settings.neo4j_database, routing_="r").records[0]
    return {key: int(record[key]) for key in STATS_KEYS}
