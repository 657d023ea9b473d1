"""The managed Neo4j server: start/stop/status, side-by-side instances, external URIs, busy ports."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph.server import ManagedNeo4j, Neo4jServerError
from graph.settings import Settings
from tests.conftest import free_port

CLI = [sys.executable, "-c", "from api.cli import main; main()"]


def _settings(home: Path, port: int) -> Settings:
    return Settings(PLANTALENT_HOME=str(home), NEO4J_URI=f"bolt://127.0.0.1:{port}",  # type: ignore[arg-type]
                    PLANTALENT_NEO4J_HEAP="512m", PLANTALENT_NEO4J_PAGECACHE_MB="64")


def test_session_server_reports_status(neo4j_server: ManagedNeo4j | None, settings: Settings) -> None:
    if neo4j_server is None:
        pytest.skip("external Neo4j")
    st = neo4j_server.status()
    assert st.running and st.pid and st.port == settings.bolt_port
    assert st.version and st.version.startswith("5.26") and "community" in st.version
    assert st.store_bytes > 0


def test_second_server_side_by_side_then_stop(tmp_path: Path, neo4j_server: ManagedNeo4j | None, settings: Settings) -> None:
    if neo4j_server is None:
        pytest.skip("external Neo4j")
    other = _settings(tmp_path / "second", free_port())
    server = ManagedNeo4j(other)
    server.start()
    try:
        with GraphDatabase.driver(other.neo4j_uri, auth=(other.neo4j_user, other.neo4j_password)) as drv:
            drv.execute_query("CREATE (:Marker {home: 'second'})")
        # The session server does not see the second server's data: they are separate stores.
        with GraphDatabase.driver(settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password)) as drv:
            assert drv.execute_query("MATCH (m:Marker {home: 'second'}) RETURN count(m) AS c").records[0]["c"] == 0
        assert server.status().running
        assert neo4j_server.status().running
        assert server.start() == 0.0  # already running: nothing to do
    finally:
        assert server.stop() is True
    st = server.status()
    assert not st.running and st.pid is None
    assert server.stop() is False
    assert (tmp_path / "second" / "neo4j" / "dbms" / "data").is_dir()


def test_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        with pytest.raises(Neo4jServerError, match=f"Port {port} .* already in use"):
            ManagedNeo4j(_settings(tmp_path, port)).start()
        env = {"PLANTALENT_HOME": str(tmp_path), "NEO4J_URI": f"bolt://127.0.0.1:{port}", "PATH": "/usr/bin:/bin"}
        proc = subprocess.run([*CLI, "neo4j", "start"], env=env, capture_output=True, text=True)
    assert proc.returncode == 2
    assert "already in use" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_external_uri_starts_nothing(tmp_path: Path) -> None:
    s = Settings(PLANTALENT_HOME=str(tmp_path), NEO4J_URI="neo4j://graph.example.org:7687")  # type: ignore[arg-type]
    assert not s.managed
    env = {"PLANTALENT_HOME": str(tmp_path), "NEO4J_URI": "neo4j://graph.example.org:7687", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([*CLI, "neo4j", "start"], env=env, capture_output=True, text=True)
    assert proc.returncode == 0
    assert "nothing to start" in proc.stderr + proc.stdout
    assert not (tmp_path / "neo4j").exists()


def test_missing_java_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = _settings(tmp_path, free_port())
    s = s.model_copy(update={"cache_dir": tmp_path / "empty-cache"})
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(Neo4jServerError, match="Java 17"):
        ManagedNeo4j(s).start()


def test_restart_on_existing_store_keeps_data(tmp_path: Path, neo4j_server: ManagedNeo4j | None) -> None:
    if neo4j_server is None:
        pytest.skip("external Neo4j")
    s = _settings(tmp_path / "restart", free_port())
    server = ManagedNeo4j(s)
    server.start()
    try:
        with GraphDatabase.driver(s.neo4j_uri, auth=(s.neo4j_user, s.neo4j_password)) as drv:
            drv.execute_query("CREATE (:Marker {v: 1})")
        server.stop()
        server.start()
        with GraphDatabase.driver(s.neo4j_uri, auth=(s.neo4j_user, s.neo4j_password)) as drv:
            assert drv.execute_query("MATCH (m:Marker) RETURN count(m) AS c").records[0]["c"] == 1
    finally:
        server.stop()



def test_stop_does_not_wait_for_a_server_another_process_must_reap(tmp_path: Path) -> None:
    """A server started by another, still running process (a test session, a benchmark's parent) is a
    zombie once stopped until that process reaps it: `stop` must see it gone, not wait its whole timeout
    (it took each bulk load's swap 60 s in bench.ingest)."""
    import json
    import time

    # The parent starts a stand-in server (its command line names the Launcher, as Neo4j's does), says
    # its pid and sleeps without ever reaping it.
    parent = subprocess.Popen([sys.executable, "-c",
                               "import subprocess, sys, time\n"
                               "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', 'Launcher'])\n"
                               "print(child.pid, flush=True)\n"
                               "time.sleep(60)\n"], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        pid = int(parent.stdout.readline())
        server = ManagedNeo4j(_settings(tmp_path, free_port()))
        server.dir.mkdir(parents=True, exist_ok=True)
        server.pidfile.write_text(json.dumps({"pid": pid, "port": 0}))
        assert server.pid() == pid
        began = time.monotonic()
        assert server.stop(timeout=30)
        assert time.monotonic() - began < 15
        assert Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"  # unreaped, as meant
    finally:
        parent.kill()
        parent.wait()
