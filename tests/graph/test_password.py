"""The managed server's password: generated at its first start and kept in PLANTALENT_HOME/neo4j-password
(0600) for every later command; an empty one refused; a store of an earlier version with the fixed
password `plantalent-local` moved to a generated one, stopped or running, and said so once."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from graph.server import LEGACY_PASSWORD, ManagedNeo4j
from graph.settings import Settings
from tests.conftest import free_port

CLI = [sys.executable, "-c", "from api.cli import main; main()"]


def _env(home: Path, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    env.update(PLANTALENT_HOME=str(home), NEO4J_URI=f"bolt://127.0.0.1:{port}", PLANTALENT_NEO4J_HEAP="512m",
               PLANTALENT_NEO4J_PAGECACHE_MB="64", **extra)
    return env


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=600)


def _accepts(port: int, password: str) -> bool:
    try:
        with GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=("neo4j", password)) as drv:
            drv.verify_connectivity()
        return True
    except AuthError:
        return False


def test_empty_password_is_refused(tmp_path: Path) -> None:
    r = _cli(["stats", "--json"], _env(tmp_path, free_port(), NEO4J_PASSWORD=""))
    assert r.returncode == 2 and "NEO4J_PASSWORD is empty" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "neo4j-password").exists()


def test_external_server_needs_a_password(tmp_path: Path) -> None:
    s = Settings(PLANTALENT_HOME=str(tmp_path), NEO4J_URI="neo4j://graph.example.org:7687")  # type: ignore[arg-type]
    with pytest.raises(Exception, match="set NEO4J_PASSWORD"):
        s.auth()


def test_generated_password_then_migration_of_an_old_store(tmp_path: Path, neo4j_server: ManagedNeo4j | None) -> None:
    if neo4j_server is None:
        pytest.skip("external Neo4j")
    home, port = tmp_path / "home", free_port()
    env = _env(home, port)
    secret = home / "neo4j-password"

    # First start: a random password, kept private, read by the next command.
    r = _cli(["neo4j", "start"], env)
    try:
        assert r.returncode == 0, r.stderr
        password = secret.read_text(encoding="utf-8").strip()
        assert len(password) >= 24 and stat.S_IMODE(secret.stat().st_mode) == 0o600
        assert "fixed password" not in r.stderr
        assert _accepts(port, password) and not _accepts(port, LEGACY_PASSWORD)
        r = _cli(["stats", "--json"], env)
        assert r.returncode == 0, r.stderr
    finally:
        _cli(["neo4j", "stop"], env)

    # A store of an earlier version: started with the fixed password, some data, stopped; no password file.
    r = _cli(["neo4j", "start"], dict(env, NEO4J_PASSWORD=LEGACY_PASSWORD))
    assert r.returncode == 0, r.stderr
    with GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=("neo4j", LEGACY_PASSWORD)) as drv:
        drv.execute_query("CREATE (:Marker {v: 1})")
    assert _cli(["neo4j", "stop"], env).returncode == 0
    secret.unlink()

    r = _cli(["neo4j", "start"], env)  # the upgrade: moved to a generated password, said so
    try:
        assert r.returncode == 0, r.stderr
        assert "fixed one of earlier versions" in r.stderr and str(secret) in r.stderr
        new = secret.read_text(encoding="utf-8").strip()
        assert new != password and _accepts(port, new) and not _accepts(port, LEGACY_PASSWORD)
        with GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=("neo4j", new)) as drv:
            assert drv.execute_query("MATCH (m:Marker) RETURN count(m) AS n").records[0]["n"] == 1
        again = _cli(["stats", "--json"], env)
        assert again.returncode == 0 and "password" not in again.stderr  # said once only
    finally:
        _cli(["neo4j", "stop"], env)

    # An earlier version's server still running with the fixed password when the new version's first command comes.
    assert _cli(["neo4j", "start"], dict(env, NEO4J_PASSWORD=LEGACY_PASSWORD)).returncode == 0
    secret.unlink()
    try:
        r = _cli(["stats", "--json"], env)
        assert r.returncode == 0, r.stderr
        assert "running managed Neo4j had the fixed password" in r.stderr
        live = secret.read_text(encoding="utf-8").strip()
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
        assert _accepts(port, live) and not _accepts(port, LEGACY_PASSWORD)
    finally:
        _cli(["neo4j", "stop"], env)
