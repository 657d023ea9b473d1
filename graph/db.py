"""The Neo4j driver: made once at an edge (CLI command, app lifespan, test session), passed in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from neo4j import Driver, GraphDatabase, ManagedTransaction

from graph.cypher import CypherFiles
from graph.server import ManagedNeo4j
from graph.settings import Settings

CYPHER = CypherFiles(__file__, "db")


def connect(settings: Settings, *, start: bool = True) -> Driver:
    """Open a driver for ``settings``; start the managed local server first if it is ours."""
    if settings.managed and start:
        ManagedNeo4j(settings).start()
    driver = GraphDatabase.driver(
        settings.neo4j_uri,
        auth=settings.auth(),
        max_connection_pool_size=64,
        # Queries name optional properties (valid_to, end_date, ...) that a sparse graph may lack;
        # the server's "property does not exist" notifications would flood every command's output.
        notifications_min_severity="OFF",
    )
    driver.verify_connectivity()
    return driver


def forget_bookmarks(driver: Driver, settings: Settings) -> None:
    """Replace the bookmarks ``execute_query`` carries from one call to the next (causal consistency) by
    one of the current store.

    Needed after the store was replaced (a bulk import): the new store's transaction ids start over, and
    a bookmark of the old store would make every later query wait for a transaction that never comes.
    """
    with driver.session(database=settings.neo4j_database) as session:  # no bookmark manager: starts clean
        session.run("RETURN 1").consume()
        fresh = session.last_bookmarks().raw_values
    manager = driver.execute_query_bookmark_manager
    # Passing the current bookmarks as the previous ones drops them; an empty replacement would be ignored.
    manager.update_bookmarks(manager.get_bookmarks(), fresh)


# What a read runs in: a driver (a managed read transaction of its own) or a transaction already open
# (several queries of one request sharing it: one round trip each, no set-up per query).
Source = Driver | ManagedTransaction


def read(source: Source, settings: Settings, query: str, *, shallow: bool = False,
         **params: Any) -> list[dict[str, Any]]:
    """Rows of a read query as dicts, in a managed read transaction of ``source`` (a driver) or in
    ``source`` itself (an open transaction).

    ``shallow`` rows are ``dict(record)``: for queries returning only scalars, lists and maps (no
    nodes or relationships). ``Record.data()`` converts every value recursively, which cost more
    than the query itself for rows holding long lists (full-text hits, detection rules)."""

    def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
        result = tx.run(query, params)
        return [dict(r) for r in result] if shallow else [r.data() for r in result]

    if isinstance(source, ManagedTransaction):
        return work(source)
    with source.session(database=settings.neo4j_database) as session:
        return session.execute_read(work)


def write(driver: Driver, settings: Settings, query: str, **params: Any) -> list[dict[str, Any]]:
    """Run a write query in a managed write transaction and return plain dict rows."""

    def work(tx: Any) -> list[dict[str, Any]]:
        return [r.data() for r in tx.run(query, params)]

    with driver.session(database=settings.neo4j_database) as session:
        return session.execute_write(work)


def write_once(driver: Driver, settings: Settings, query: str, **params: Any) -> None:
    """Run a write once, in an auto-commit transaction: for heartbeats. Not ``execute_query``, which retries
    (logging each try) for 30 s; a beat missed while the server restarts (a bulk load's store swap) is
    harmless, the next one comes soon."""
    with driver.session(database=settings.neo4j_database) as session:
        session.run(query, params).consume()


def server_version(driver: Driver, settings: Settings) -> str | None:
    """The version of the Neo4j server ``driver`` talks to (raises if it does not answer)."""
    rows = read(driver, settings, CYPHER.load("server_version"))
    return rows[0]["version"] if rows else None


def batched(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Split ``rows`` into lists of at most ``size`` (for UNWIND writes)."""
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
