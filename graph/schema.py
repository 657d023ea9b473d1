"""Create the graph schema (constraints, indexes, full-text and vector indexes) idempotently."""

from __future__ import annotations

import re

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.settings import Settings

CYPHER = CypherFiles(__file__, "schema")

# Dimensions of models we know, so the schema needs no model load; others come from the model.
KNOWN_DIMS = {
    "bge-small-zh": 512,
    "bge-base-zh": 768,
    "bge-large-zh": 1024,
    "all-minilm-l6-v2": 384,
    "all-minilm-l12-v2": 384,
    "paraphrase-multilingual-minilm-l12-v2": 384,
    "text2vec-base-chinese": 768,
}


def known_dim(model: str) -> int | None:
    """The vector dimension of a model we know by name or path, else None."""
    name = model.lower().replace("_", "-")
    for key, dim in KNOWN_DIMS.items():
        if key in name:
            return dim
    return None


def init_schema(driver: Driver, settings: Settings, embed_dim: int | None = None) -> list[str]:
    """Create all constraints and indexes (no-op when present); return the index names."""
    for stmt in CYPHER.statements("schema"):
        driver.execute_query(stmt, database_=settings.neo4j_database)
    dim = embed_dim or settings.embed_dim or known_dim(settings.embed_model)
    if dim:
        ensure_vector_index(driver, settings, dim)
    driver.execute_query("CALL db.awaitIndexes(300)", database_=settings.neo4j_database)
    records = driver.execute_query("SHOW INDEXES YIELD name RETURN name ORDER BY name", database_=settings.neo4j_database).records
    return [r["name"] for r in records]


def ensure_vector_index(driver: Driver, settings: Settings, dim: int) -> None:
    """Create ``person_embedding`` with ``dim``; recreate it when the model's dimension changed."""
    db = settings.neo4j_database
    rows = driver.execute_query(CYPHER.load("vector_show"), database_=db).records
    if rows and rows[0]["dim"] == dim:
        return
    if rows:
        driver.execute_query("DROP INDEX person_embedding IF EXISTS", database_=db)
    driver.execute_query(CYPHER.load("vector_create"), dim=int(dim), database_=db)


# Labels the ingest writes. Their range and full-text indexes (not the uniqueness constraints, which
# MERGE/MATCH rely on) may be dropped for a bulk load into an empty graph and built once at the end.
INGEST_LABELS = frozenset({"Org", "Unit", "Person", "Registration", "Employment", "Insurance", "Expert", "Project",
                           "Application", "Award", "Violation", "Reorganization"})
_SCHEMA_NAME = re.compile(r"^CREATE\s+(?:CONSTRAINT|(?:FULLTEXT\s+)?INDEX)\s+(\w+)\s", re.IGNORECASE)


def schema_names() -> set[str]:
    """Names of every constraint and index of graph/schema/schema.cypher."""
    return {m.group(1) for stmt in CYPHER.statements("schema") if (m := _SCHEMA_NAME.match(stmt))}


def missing_schema(driver: Driver, settings: Settings) -> set[str]:
    """Constraints/indexes of graph/schema/schema.cypher that the database lacks."""
    db = settings.neo4j_database
    have = {r["name"] for r in driver.execute_query("SHOW INDEXES YIELD name", database_=db).records}
    have |= {r["name"] for r in driver.execute_query("SHOW CONSTRAINTS YIELD name", database_=db).records}
    return schema_names() - have


def drop_ingest_indexes(driver: Driver, settings: Settings) -> list[str]:
    """Drop the range/full-text indexes of the ingest labels (never constraint-backed ones); return their names.

    Only for a bulk load into an empty graph; `restore_indexes` creates them again afterwards.
    """
    db = settings.neo4j_database
    records = driver.execute_query(
        "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, owningConstraint "
        "WHERE owningConstraint IS NULL AND entityType = 'NODE' AND type IN ['RANGE', 'FULLTEXT'] "
        "RETURN name, labelsOrTypes", database_=db).records
    names = sorted(r["name"] for r in records if r["name"] in schema_names() and set(r["labelsOrTypes"]) & INGEST_LABELS)
    for name in names:
        # A name from graph/schema/schema.cypher (checked above), never from data; DROP takes no parameter.
        driver.execute_query(f"DROP INDEX {name} IF EXISTS", database_=db)
    return names


def restore_indexes(driver: Driver, settings: Settings, timeout_s: int = 3600) -> None:
    """Create every missing constraint/index of the schema and wait until they are online."""
    db = settings.neo4j_database
    for stmt in CYPHER.statements("schema"):
        driver.execute_query(stmt, database_=db)
    driver.execute_query("CALL db.awaitIndexes($t)", t=int(timeout_s), database_=db)
