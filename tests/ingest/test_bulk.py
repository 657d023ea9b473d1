"""The bulk path (ingest/bulk.py): Neo4j's importer gives the very graph the transactional loader gives,
rejects what it rejects with the same report, refuses what it cannot do, and never loses the previous
store when cut short.

The bulk path stops and starts the server, so these tests run their own managed Neo4j in a temporary
home on a free port (the session server of tests/conftest.py is shared by every other test).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.db import connect
from graph.schema import init_schema, missing_schema
from graph.server import ManagedNeo4j, Neo4jServerError
from graph.settings import Settings
from graph.version import bump, read_version
from ingest.bulk import ARRAY_DELIMITER, BulkUnavailable, bulk_load, importer_stages
from ingest.errors import IngestFatal
from ingest.journal import list_loads, settle
from ingest.loader import load_folder
from ingest.sample import generate
from tests.conftest import TEST_EMBED_MODEL, free_port
from tests.ingest.conftest import (
    BAD_ROW_PERSON,
    EXT_PAYER,
    KEYS,
    P1,
    P2,
    P3,
    U1,
    make_uscc,
    wipe,
    world,
    write_folder,
)

CLI = [sys.executable, "-c", "from api.cli import main; main()"]
# Per-load values: which load wrote a record and when (the bulk path writes one time for the whole load,
# the transactional one a time per batch). Everything else must be equal.
PER_LOAD = ("load_id", "loaded_at")


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Driver, Settings, ManagedNeo4j]]:
    home = tmp_path_factory.mktemp("bulk-home")
    settings = Settings(PLANTALENT_HOME=str(home), NEO4J_URI=f"bolt://127.0.0.1:{free_port()}",  # type: ignore[arg-type]
                        PLANTALENT_EMBED_MODEL=TEST_EMBED_MODEL, PLANTALENT_NEO4J_HEAP="512m",
                        PLANTALENT_NEO4J_PAGECACHE_MB="128", PLANTALENT_MANAGE_NEO4J="true")
    server = ManagedNeo4j(settings)
    server.start()
    driver = connect(settings, start=False)
    init_schema(driver, settings)
    try:
        yield driver, settings, server
    finally:
        driver.close()
        server.stop()


def snapshot(driver: Driver, settings: Settings) -> tuple[Counter[Any], Counter[Any]]:
    """Every node (key, labels, typed properties) and relationship (type, end keys, typed properties), as
    multisets; :Load and :GraphVersion (the bookkeeping of runs) and PER_LOAD values left out."""
    def typed(props: dict[str, Any]) -> tuple[tuple[str, str, str], ...]:
        return tuple(sorted((k, type(v).__name__, repr(v)) for k, v in props.items() if k not in PER_LOAD))

    db = settings.neo4j_database
    nodes = driver.execute_query("MATCH (n) WHERE NOT n:Load AND NOT n:GraphVersion "
                                 "RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS p", database_=db).records
    key = {r["id"]: next((f"{k}={r['p'][k]}" for k in KEYS if k in r["p"]), "?") for r in nodes}
    rels = driver.execute_query("MATCH (a)-[r]->(b) WHERE NOT a:Load RETURN type(r) AS t, elementId(a) AS a, "
                                "elementId(b) AS b, properties(r) AS p", database_=db).records
    return (Counter((key[r["id"]], tuple(sorted(r["labels"])), typed(r["p"])) for r in nodes),
            Counter((r["t"], key[r["a"]], key[r["b"]], typed(r["p"])) for r in rels))


def assert_same(bulk: tuple[Counter[Any], Counter[Any]], tx: tuple[Counter[Any], Counter[Any]]) -> None:
    """Both snapshots hold the same nodes and relationships; else the first differences, not pytest's diff
    of two whole graphs (which takes longer than the load on a sample)."""
    for kind, b, t in (("nodes", bulk[0], tx[0]), ("relationships", bulk[1], tx[1])):
        only_bulk, only_tx = list((b - t).elements())[:5], list((t - b).elements())[:5]
        assert not only_bulk and not only_tx, f"{kind} only in bulk: {only_bulk}; only in transactional: {only_tx}"


def both_ways(driver: Driver, settings: Settings, folder: Path, tmp: Path) -> tuple[Any, Any, Any, Any]:
    """Load ``folder`` transactionally, then (graph emptied) in bulk; the reports and graph snapshots."""
    wipe(driver, settings)
    tx = load_folder(driver, settings, folder, errors_path=tmp / "tx-errors.csv")
    tx_graph = snapshot(driver, settings)
    wipe(driver, settings)
    bulk = bulk_load(driver, settings, folder, errors_path=tmp / "bulk-errors.csv")
    return tx, tx_graph, bulk, snapshot(driver, settings)


def awkward_world() -> dict[str, list[dict[str, Any]]]:
    """The ingest tests' world with bad rows and values that are hard for a CSV importer."""
    data = world()
    data["persons"].append(dict(BAD_ROW_PERSON))
    data["persons"][0]["bio"] = '第一行, "引号"\n第二行\r\n第三行'
    data["units"][2]["address"] = "a;b,c"
    data["units"][0]["parent_unit_id"] = make_uscc(21)  # named later as a payer, never a unit
    data["experts"] += [
        {"expert_id": "E002", "person_id": P2, "level": "省级", "fields": "", "appointed": "", "status": "在库"},
        {"expert_id": "E003", "person_id": P3, "level": "市级", "fields": f"规划{ARRAY_DELIMITER}GIS；测绘",
         "appointed": "2020-02-02", "status": "暂停"},
        {"expert_id": "E004", "person_id": "110101198001010000", "level": "市级", "fields": "x", "appointed": "",
         "status": "在库"},  # an unknown person: rejected
    ]
    data["awards"] += [
        {"award_id": "W002", "name": "无人奖", "level": "二等奖", "year": "2022", "project_id": "", "unit_id": "",
         "person_ids": ""},
        {"award_id": "W003", "name": "同人两次", "level": "三等奖", "year": "2023", "project_id": "J002",
         "unit_id": EXT_PAYER, "person_ids": f"{P1}、{P1}"},
        {"award_id": "W004", "name": "坏年份", "level": "三等奖", "year": "1800", "project_id": "", "unit_id": "",
         "person_ids": ""},  # rejected: year out of range
    ]
    data["social_insurance"].append({"person_id": P3, "unit_id": make_uscc(21), "payer_name": "后来才有名字的公司",
                                     "payer_type": "其他", "province": "浙江", "start_month": "2018-01",
                                     "end_month": "2018-12"})
    data["violations"].append({"violation_id": "V003", "subject_type": "单位", "subject_id": U1, "category": "其他",
                               "severity": "轻微", "decided": "2024年1月2日", "authority": "局", "penalty": "",
                               "points": "1", "description": "多行\n说明"})
    return data


def test_bulk_gives_the_transactional_graph_and_report(own: tuple[Driver, Settings, ManagedNeo4j], tmp_path: Path) -> None:
    driver, settings, _ = own
    folder = write_folder(tmp_path / "in", awkward_world(),
                          fmt={"units": "gbk", "persons": "bom", "employments": "gb18030", "social_insurance": "xlsx",
                               "projects": "xlsx"}, chinese=True)
    tx, tx_graph, bulk, bulk_graph = both_ways(driver, settings, folder, tmp_path)
    assert (bulk.rows, bulk.loaded, bulk.rejected, bulk.exit_code) == (tx.rows, tx.loaded, tx.rejected, tx.exit_code)
    assert tx.exit_code == 3 and tx.rejected == 3
    assert (tmp_path / "bulk-errors.csv").read_bytes() == (tmp_path / "tx-errors.csv").read_bytes()
    assert sum(bulk_graph[0].values()) == sum(tx_graph[0].values()) > 20
    assert_same(bulk_graph, tx_graph)
    # The cases the CSV format cannot express directly came through too.
    fields = driver.execute_query("MATCH (e:Expert) RETURN e.expert_id AS id, e.fields AS f ORDER BY id").records
    assert [(r["id"], r["f"]) for r in fields] == [("E001", ["城乡规划", "国土空间规划", "GIS"]), ("E002", []),
                                                   ("E003", [f"规划{ARRAY_DELIMITER}GIS", "测绘"])]
    bio = driver.execute_query("MATCH (p:Person {person_id: $p}) RETURN p.bio AS bio", p=P1).records[0]["bio"]
    assert bio == '第一行, "引号"\n第二行\r\n第三行'
    # A bulk load is journalled like any other, and moves the graph version.
    load = driver.execute_query("MATCH (l:Load {load_id: $id}) RETURN l.status AS s, l.mode AS m, l.rows AS rows",
                                id=bulk.load_id).records[0]
    assert (load["s"], load["m"], load["rows"]) == ("done", "bulk", bulk.rows)
    assert read_version(driver, settings)
    assert not missing_schema(driver, settings)


def test_bulk_gives_the_transactional_graph_of_a_sample(own: tuple[Driver, Settings, ManagedNeo4j], tmp_path: Path) -> None:
    driver, settings, _ = own
    summary = generate(tmp_path / "s", scale="small", seed=3, variants=True, check=False)
    tx, tx_graph, bulk, bulk_graph = both_ways(driver, settings, summary.out / "variants" / "contract", tmp_path)
    assert bulk.rejected == tx.rejected == 0 and bulk.rows == tx.rows == sum(summary.counts.values())
    assert_same(bulk_graph, tx_graph)
    assert sum(bulk_graph[1].values()) > 10_000
    assert set(bulk.timings) == {"validate_and_write_csv", "importer", "server_down", "schema", "finish"}
    # The importer's own stages, read from its output: all four, and within the time it ran.
    stages = bulk.importer_stages
    assert list(stages) == ["node import", "relationship import", "relationship linking", "post processing"]
    assert 0 < sum(stages.values()) < bulk.timings["importer"]


def test_the_importer_stages_are_read_from_its_output() -> None:
    output = ("(1/4) Node import 2026-11-30 23:28:07.186+0000\n"
              "Node import COMPLETED in 1m 2s 5ms\n"
              "Relationship import COMPLETED in 677ms\n"
              "Relationship linking COMPLETED in 1h 3s\n"
              "Post processing COMPLETED in 1d 2s\n"
              "IMPORT DONE in 1d 1h 1m 5s 682ms. \n")
    assert importer_stages(output) == {"node import": 62.005, "relationship import": 0.677,
                                       "relationship linking": 3603.0, "post processing": 86402.0}


def test_bulk_refuses_a_graph_with_data(own: tuple[Driver, Settings, ManagedNeo4j], tmp_path: Path) -> None:
    driver, settings, _ = own
    folder = write_folder(tmp_path / "in", world())
    wipe(driver, settings)
    load_folder(driver, settings, folder)
    before = snapshot(driver, settings)
    with pytest.raises(BulkUnavailable, match="already holds .* nodes"):
        bulk_load(driver, settings, folder)
    assert snapshot(driver, settings) == before


def test_bulk_fatal_input_is_fatal_before_anything(own: tuple[Driver, Settings, ManagedNeo4j], tmp_path: Path) -> None:
    driver, settings, server = own
    data = world()
    folder = write_folder(tmp_path / "in", data)
    (folder / "persons.csv").write_text("姓名\n张三\n", encoding="utf-8")  # the key column is missing
    wipe(driver, settings)
    pid = server.pid()
    with pytest.raises(IngestFatal, match="persons.csv: required columns missing"):
        bulk_load(driver, settings, folder)
    assert server.pid() == pid  # never restarted


def test_cli_bulk_with_an_external_server_explains_why_not(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "in", world())
    env = {"PLANTALENT_HOME": str(tmp_path), "NEO4J_URI": "neo4j://graph.example.org:7687", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([*CLI, "ingest", str(folder), "--bulk"], env=env, capture_output=True, text=True)
    assert proc.returncode == 2
    assert "--bulk needs the managed local server" in proc.stderr and "load without --bulk" in proc.stderr
    assert "Traceback" not in proc.stderr


def _mark(driver: Driver, settings: Settings) -> str:
    """An empty store recognisable by its graph version (a counter node is not data: bulk may replace it)."""
    wipe(driver, settings)
    return bump(driver, settings, "test mark")


def _intact(driver: Driver, settings: Settings, version: str) -> None:
    assert read_version(driver, settings) == version
    # (the writer slot the killed load held and the journal are bookkeeping, not data: graph/worklock.py)
    assert driver.execute_query("MATCH (n) WHERE NOT n:GraphVersion AND NOT n:Lock AND NOT n:Load "
                                "RETURN count(n) AS c").records[0]["c"] == 0
    assert not missing_schema(driver, settings)


def test_killed_bulk_load_leaves_the_previous_store(own: tuple[Driver, Settings, ManagedNeo4j], tmp_path: Path) -> None:
    """`plantalent ingest --bulk` killed (with the importer) while it imports, then while it swaps stores;
    the journal says so, and keeps saying so once a bulk load has replaced the store."""
    driver, settings, server = own
    killed = []
    summary = generate(tmp_path / "s", scale="small", seed=4, check=False)
    env = dict(os.environ, PLANTALENT_HOME=str(settings.home), NEO4J_URI=settings.neo4j_uri,
               NEO4J_PASSWORD=settings.neo4j_password, PLANTALENT_MANAGE_NEO4J="true",
               PLANTALENT_NEO4J_HEAP=settings.neo4j_heap, PLANTALENT_NEO4J_PAGECACHE_MB=str(settings.neo4j_pagecache_mb))
    staging = server.dir / "bulk"
    for moment in ("importing", "swapping"):
        version = _mark(driver, settings)
        proc = subprocess.Popen([*CLI, "ingest", str(summary.out), "--bulk", "--json"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None:
            if moment == "importing" and any(staging.glob("*/data/databases")):
                break
            if moment == "swapping" and server.journal.exists():
                break
            time.sleep(0.02)
        assert proc.poll() is None, f"the load ended before the moment {moment}"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        server.start()  # what the next command does: a swap cut short is rolled back
        _intact(driver, settings, version)
        new = [load for load in list_loads(driver, settings) if load["load_id"] not in killed]
        assert [(load["mode"], load["status"]) for load in new] == [("bulk", "running")]
        assert settle(driver, settings) == [new[0]["load_id"]]  # its process is gone
        killed.append(new[0]["load_id"])
    # The next bulk load clears what the killed ones left and succeeds; the journal keeps the killed ones.
    report = bulk_load(driver, settings, summary.out)
    assert report.exit_code == 0 and not any(staging.iterdir())
    loads = {load["load_id"]: load for load in list_loads(driver, settings)}
    assert set(loads) == {killed[-1], report.load_id}  # (_mark emptied the store before the second kill)
    assert loads[killed[-1]]["status"] == "interrupted" and loads[killed[-1]]["mode"] == "bulk"
    assert loads[report.load_id]["status"] == "done" and loads[report.load_id]["rows"] == report.rows


def test_store_that_fails_to_start_is_rolled_back(own: tuple[Driver, Settings, ManagedNeo4j], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    driver, settings, server = own
    version = _mark(driver, settings)
    broken = tmp_path / "staged"
    (broken / "databases" / settings.neo4j_database).mkdir(parents=True)
    (broken / "transactions" / settings.neo4j_database).mkdir(parents=True)
    (broken / "databases" / settings.neo4j_database / "neostore").write_bytes(b"not a store")
    real_start = ManagedNeo4j.start
    calls = []

    def start_fails_once(self: ManagedNeo4j) -> float:
        calls.append(1)
        if len(calls) == 1:
            raise Neo4jServerError("simulated: the new store does not start")
        return real_start(self)

    monkeypatch.setattr(ManagedNeo4j, "start", start_fails_once)
    with pytest.raises(Neo4jServerError, match="simulated"):
        server.replace_store(broken, settings.neo4j_database)
    monkeypatch.undo()
    assert not server.journal.exists()
    _intact(driver, settings, version)
