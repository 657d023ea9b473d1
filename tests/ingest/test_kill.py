"""kill -9 at any moment (DESIGN.md "Data lifecycle"): of the ingest process, of the Neo4j server, or of
both. The next `ingest` of the same folder finishes to exactly the graph of one clean load, and the
journal shows the killed load as `interrupted`. Real processes and real signals: the ingest runs as
`plantalent ingest` in a subprocess; a test that kills the server runs its own managed Neo4j (its own
home and port), killed with SIGKILL and started again on the same store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase

from graph.schema import missing_schema
from graph.server import ManagedNeo4j
from graph.settings import Settings
from ingest.loader import load_folder
from ingest.stats import entity_counts
from tests.conftest import free_port
from tests.ingest.conftest import U1, U2, graph_checksum, make_id, wipe, world, write_folder

PLANTALENT = str(Path(sys.executable).parent / "plantalent")
# A resumed load writes its rows under its own load id and time; everything else must be identical.
SKIP = ("load_id", "loaded_at", "replaced_by", "replaced_at", "withdrawn_by", "withdrawn_at")
N = 1200


def big_world(n: int = N, position: str = "规划师") -> dict[str, list[dict[str, str]]]:
    """Units, n persons with an employment, an insurance period and a registration each."""
    base = world()
    person = dict(base["persons"][0], phone="", email="")
    persons = [dict(person, person_id=make_id(i, date(1970, 1, 1) + timedelta(days=i // 1000)), name=f"人员{i}",
                    birth_date="") for i in range(n)]
    ids = [p["person_id"] for p in persons]
    return {
        "units": base["units"],
        "persons": persons,
        "employments": [{"person_id": p, "unit_id": U1 if i % 2 else U2, "start_date": "2020-01-01", "end_date": "",
                         "position": position} for i, p in enumerate(ids)],
        "social_insurance": [{"person_id": p, "unit_id": U1, "payer_name": "", "payer_type": "企业", "province": "浙江",
                              "start_month": "2020-01", "end_month": ""} for p in ids],
        "registrations": [{"person_id": p, "cert_no": f"R{i:05d}", "unit_id": U1, "valid_from": "2020-01-01",
                           "valid_to": ""} for i, p in enumerate(ids)],
    }


def count(driver: Driver, settings: Settings, query: str) -> int:
    return int(driver.execute_query(query, database_=settings.neo4j_database).records[0][0])


def start_ingest(folder: Path, env: dict[str, str], cwd: Path, *options: str) -> subprocess.Popen[bytes]:
    # Small batches: the load takes long enough to be caught at each point.
    env = dict(env, PLANTALENT_BATCH_SIZE="25")
    return subprocess.Popen([PLANTALENT, "ingest", str(folder), "--errors", str(cwd / "errors.csv"), *options],
                            env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until(proc: subprocess.Popen[bytes], ready: Callable[[], bool], timeout: float = 300) -> None:
    """Poll ``ready`` until true while ``proc`` runs; fail if the load finished first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the load finished before the point to kill it"
        try:
            if ready():
                return
        except Exception:  # noqa: BLE001 - the graph may be busy; ask again
            pass
        time.sleep(0.02)
    raise AssertionError("the load never reached the point to kill it")


def run_ingest(folder: Path, env: dict[str, str], cwd: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLANTALENT, "ingest", str(folder), "--errors", str(cwd / "errors2.csv"), *options], env=env,
                          cwd=cwd, capture_output=True, text=True, timeout=900)


def statuses(driver: Driver, settings: Settings) -> list[str]:
    rows = driver.execute_query("MATCH (l:Load) RETURN l.status AS s ORDER BY l.started_at",
                                database_=settings.neo4j_database).records
    return [r["s"] for r in rows]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("kill")
    half = big_world()
    half["employments"] = half["employments"][: N // 2]  # a snapshot withdrawing half the employments
    return {"first": write_folder(root / "first", big_world()),
            "changed": write_folder(root / "changed", big_world(position="高级规划师")),
            "snapshot": write_folder(root / "snapshot", {"employments": half["employments"]})}


@pytest.fixture(scope="module")
def expected(db: Driver, settings: Settings, folders: dict[str, Path]) -> dict[str, tuple[str, dict[str, int]]]:
    """Checksums and counts of clean loads: the first folder; the first folder then the changed one."""
    out = {}
    wipe(db, settings)
    load_folder(db, settings, folders["first"])
    out["first"] = (graph_checksum(db, settings, skip=SKIP), entity_counts(db, settings))
    load_folder(db, settings, folders["changed"])
    out["changed"] = (graph_checksum(db, settings, skip=SKIP), entity_counts(db, settings))
    wipe(db, settings)
    load_folder(db, settings, folders["first"])
    load_folder(db, settings, folders["snapshot"], snapshot=True, allow_mass_retire=True)
    out["snapshot"] = (graph_checksum(db, settings, skip=SKIP), entity_counts(db, settings))
    return out


POINTS = {
    # first file with many rows: concurrent fresh batches, some committed out of order
    "persons": "MATCH (p:Person) RETURN count(p) > 0",
    # a later file, while the earlier ones are complete
    "employments": "MATCH (e:Employment) RETURN count(e) > 0",
    "registrations": "MATCH (r:Registration) RETURN count(r) > 0",
}


@pytest.mark.parametrize("point", list(POINTS))
def test_killed_ingest_finishes_on_the_next_run(db: Driver, settings: Settings, cli_env: dict[str, str],
                                                tmp_path: Path, folders: dict[str, Path], expected: dict, point: str) -> None:
    wipe(db, settings)
    proc = start_ingest(folders["first"], cli_env, tmp_path)
    wait_until(proc, lambda: bool(count(db, settings, POINTS[point])))
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    assert statuses(db, settings) == ["running"]
    partial = entity_counts(db, settings)
    assert partial != expected["first"][1]
    done = run_ingest(folders["first"], cli_env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert statuses(db, settings) == ["interrupted", "done"]
    assert graph_checksum(db, settings, skip=SKIP) == expected["first"][0]
    assert entity_counts(db, settings) == expected["first"][1]
    assert missing_schema(db, settings) == set()


def test_killed_update_keeps_each_old_value_once(db: Driver, settings: Settings, cli_env: dict[str, str],
                                                 tmp_path: Path, folders: dict[str, Path], expected: dict) -> None:
    """Killed while a changed extract is being loaded (versions being written): the re-run writes the
    rest, and every changed record has exactly one version."""
    wipe(db, settings)
    load_folder(db, settings, folders["first"])
    proc = start_ingest(folders["changed"], cli_env, tmp_path)
    wait_until(proc, lambda: count(db, settings, "MATCH (v:Version) RETURN count(v)") > 0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert count(db, settings, "MATCH (v:Version) RETURN count(v)") < N
    done = run_ingest(folders["changed"], cli_env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert statuses(db, settings) == ["done", "interrupted", "done"]
    assert graph_checksum(db, settings, skip=SKIP) == expected["changed"][0]
    assert count(db, settings, "MATCH (:Employment)-[:HAS_VERSION]->(v:Version) RETURN count(v)") == N


def test_killed_snapshot_retires_the_rest_on_the_next_run(db: Driver, settings: Settings, cli_env: dict[str, str],
                                                         tmp_path: Path, folders: dict[str, Path], expected: dict) -> None:
    """Killed while a snapshot retires withdrawn records: the re-run plans again and retires the rest."""
    wipe(db, settings)
    load_folder(db, settings, folders["first"])
    proc = start_ingest(folders["snapshot"], cli_env, tmp_path, "--snapshot", "--allow-mass-retire")
    wait_until(proc, lambda: count(db, settings, "MATCH (r:Withdrawn) RETURN count(r)") > 0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert 0 < count(db, settings, "MATCH (r:Withdrawn) RETURN count(r)") < N // 2
    done = run_ingest(folders["snapshot"], cli_env, tmp_path, "--snapshot", "--allow-mass-retire")
    assert done.returncode == 0, done.stderr
    assert statuses(db, settings) == ["done", "interrupted", "done"]
    assert graph_checksum(db, settings, skip=SKIP) == expected["snapshot"][0]
    assert entity_counts(db, settings) == expected["snapshot"][1] and expected["snapshot"][1]["employments"] == N // 2


# ---- the server killed ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory, neo4j_server: ManagedNeo4j | None,
               cli_env: dict[str, str]) -> Iterator[tuple[ManagedNeo4j, Settings, dict[str, str]]]:
    """A managed Neo4j of this module alone (its own home and port): the tests kill it."""
    if neo4j_server is None:
        pytest.skip("external Neo4j: no server of our own to kill")
    home = tmp_path_factory.mktemp("killed-server")
    own = Settings(PLANTALENT_HOME=str(home), NEO4J_URI=f"bolt://127.0.0.1:{free_port()}",  # type: ignore[arg-type]
                   PLANTALENT_NEO4J_HEAP="512m",
                   PLANTALENT_NEO4J_PAGECACHE_MB="64")
    server = ManagedNeo4j(own)
    server.start()
    # The CLI starts the server again after it is killed: with the same small memory.
    env = dict(cli_env, PLANTALENT_HOME=str(home), NEO4J_URI=own.neo4j_uri, PLANTALENT_NEO4J_HEAP="512m",
               PLANTALENT_NEO4J_PAGECACHE_MB="64")
    yield server, own, env
    server.stop()


def _reap(pid: int) -> None:
    """Wait for a killed server to be gone (reaping it if this process started it)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:  # started by an earlier CLI run: not our child
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
        time.sleep(0.1)
    raise AssertionError(f"server {pid} did not die")


def _driver(s: Settings) -> Driver:
    return GraphDatabase.driver(s.neo4j_uri, auth=(s.neo4j_user, s.neo4j_password), notifications_min_severity="OFF")


@pytest.mark.parametrize("victims", ["server", "both"])
def test_killed_server_then_ingest_again_gives_one_clean_load(own_server: tuple[ManagedNeo4j, Settings, dict[str, str]],
                                                             tmp_path: Path, folders: dict[str, Path], expected: dict,
                                                             victims: str) -> None:
    server, own, env = own_server
    server.start()
    with _driver(own) as drv:
        wipe(drv, own)
        proc = start_ingest(folders["first"], env, tmp_path)
        wait_until(proc, lambda: bool(count(drv, own, POINTS["employments" if victims == "server" else "persons"])))
    pid = server.pid()
    assert pid is not None
    if victims == "both":
        proc.send_signal(signal.SIGKILL)
    os.kill(pid, signal.SIGKILL)
    if victims == "both":
        assert proc.wait(timeout=60) == -signal.SIGKILL
    else:
        # The loader finds Neo4j gone (after the driver's retries) and stops: exit 1, part of the rows written.
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 1, err
        assert b"run the same ingest again" in err
    _reap(pid)
    # The next ingest starts the managed server again (it recovers its store) and finishes the load.
    done = run_ingest(folders["first"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    with _driver(own) as drv:
        assert statuses(drv, own) == ["interrupted", "done"]
        assert graph_checksum(drv, own, skip=SKIP) == expected["first"][0]
        assert entity_counts(drv, own) == expected["first"][1]
        assert missing_schema(drv, own) == set()
