"""The load journal (`plantalent loads`): per file rows read / loaded / unchanged / rejected / retired,
statuses running → done | failed | interrupted, and the writer slot that keeps loads from interleaving."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from neo4j import Driver

from graph.process import this_process
from graph.settings import Settings
from graph.worklock import WriterBusy, WriterSlot, holder
from ingest import journal
from ingest.loader import load_folder
from ingest.stats import entity_counts
from tests.ingest.conftest import BAD_ROW_PERSON, WORLD_COUNTS, wipe, world, write_folder

PLANTALENT = str(Path(sys.executable).parent / "plantalent")


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLANTALENT, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=600)


def loads(env: dict[str, str], cwd: Path) -> list[dict]:
    done = run(["loads", "--json", "--limit", "50"], env, cwd)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_loads_lists_every_load_with_its_counts(db: Driver, settings: Settings, cli_env: dict[str, str],
                                                tmp_path: Path) -> None:
    wipe(db, settings)
    data = world()
    folder = write_folder(tmp_path / "in", data)
    assert run(["ingest", str(folder)], cli_env, tmp_path).returncode == 0
    assert run(["ingest", str(folder)], cli_env, tmp_path).returncode == 0
    data["persons"][0]["title"] = "正高级工程师"
    data["persons"].append(BAD_ROW_PERSON)
    changed = write_folder(tmp_path / "changed", {"persons": data["persons"]})
    assert run(["ingest", str(changed)], cli_env, tmp_path).returncode == 3

    third, second, first = loads(cli_env, tmp_path)[:3]
    for load in (first, second, third):
        assert load["status"] == "done" and load["mode"] == "add" and load["finished"] >= load["started"]
    assert first["folder"] == str(folder.resolve()) and third["folder"] == str(changed.resolve())
    rows = sum(len(v) for v in world().values())
    assert (first["rows"], first["loaded"], first["unchanged"], first["rejected"]) == (rows, rows, 0, 0)
    # The same folder again: every row read and found unchanged.
    assert (second["rows"], second["loaded"], second["unchanged"], second["rejected"]) == (rows, 0, rows, 0)
    by_file = {f["file"]: f for f in second["files"]}
    assert set(by_file) == {f"{name}.csv" for name in world()}
    assert by_file["persons.csv"] == {"file": "persons.csv", "kind": "persons", "rows": 4, "loaded": 0,
                                      "unchanged": 4, "rejected": 0, "retired": 0}
    # One changed person, one bad row.
    assert [(f["file"], f["rows"], f["loaded"], f["unchanged"], f["rejected"]) for f in third["files"]] == [
        ("persons.csv", 5, 1, 3, 1)]
    # The table form shows the same.
    table = run(["loads", "--limit", "1"], cli_env, tmp_path)
    assert table.returncode == 0 and third["load_id"] in table.stdout and "persons.csv" in table.stdout


def _running_load(db: Driver, settings: Settings, load_id: str, owner: dict, beat: datetime) -> None:
    db.execute_query("CREATE (:Load {load_id: $id, folder: '/x', mode: 'add', status: 'running', started_at: $beat, "
                     "heartbeat_at: $beat, owner: $owner, files: '[]'})", id=load_id, beat=beat,
                     owner=json.dumps(owner), database_=settings.neo4j_database)


def _status(db: Driver, settings: Settings, load_id: str) -> str:
    return db.execute_query("MATCH (l:Load {load_id: $id}) RETURN l.status AS s", id=load_id,
                            database_=settings.neo4j_database).records[0]["s"]


def test_only_loads_whose_process_is_gone_become_interrupted(db: Driver, settings: Settings) -> None:
    wipe(db, settings)
    now = datetime.now(UTC)
    me = this_process().as_dict()
    dead = dict(me, pid=me["pid"] + 1_000_000)  # no such pid on this host
    reused = dict(me, started=me["started"] + 1)  # this pid, but another process start: the pid was reused
    rebooted = dict(me, boot="another-boot")
    elsewhere = dict(me, host="another-host")
    _running_load(db, settings, "L-alive", me, now)
    _running_load(db, settings, "L-dead", dead, now)
    _running_load(db, settings, "L-reused", reused, now)
    _running_load(db, settings, "L-rebooted", rebooted, now)
    _running_load(db, settings, "L-remote-beating", elsewhere, now)
    _running_load(db, settings, "L-remote-silent", elsewhere, now - timedelta(seconds=settings.stale_after_s + 5))
    assert sorted(journal.settle(db, settings)) == ["L-dead", "L-rebooted", "L-remote-silent", "L-reused"]
    assert _status(db, settings, "L-alive") == "running" and _status(db, settings, "L-remote-beating") == "running"
    assert _status(db, settings, "L-dead") == "interrupted"
    listed = {x["load_id"]: x for x in journal.list_loads(db, settings)}
    assert "run the same ingest again" in listed["L-dead"]["error"]
    assert journal.settle(db, settings) == []  # nothing left to settle


def test_the_writer_slot_admits_one_writer_and_frees_itself_when_its_holder_dies(db: Driver, settings: Settings) -> None:
    wipe(db, settings)
    with WriterSlot(db, settings, "load A"):
        current = holder(db, settings)
        assert current is not None and current.what == "load A" and current.owner == this_process()
        with pytest.raises(WriterBusy, match="load A"):
            WriterSlot(db, settings, "load B", wait=False).acquire()
    assert holder(db, settings) is None
    with WriterSlot(db, settings, "load B", wait=False):
        pass
    # A holder killed with -9 never released the slot: its pid is gone, so the slot is free.
    dead = dict(this_process().as_dict(), pid=this_process().pid + 1_000_000)
    db.execute_query("MATCH (k:Lock {name: 'writer'}) SET k.holder = $h, k.token = 'dead', k.what = 'load X', "
                     "k.heartbeat_at = datetime()", h=json.dumps(dead), database_=settings.neo4j_database)
    assert holder(db, settings) is None
    with WriterSlot(db, settings, "load C", wait=False):
        assert holder(db, settings).what == "load C"  # type: ignore[union-attr]


def test_entity_counts_unchanged_by_the_journal(db: Driver, settings: Settings, tmp_path: Path) -> None:
    """Journal nodes, versions and the writer slot are bookkeeping: `stats` counts only the data."""
    wipe(db, settings)
    load_folder(db, settings, write_folder(tmp_path / "in", world()))
    with WriterSlot(db, settings, "x"):
        assert entity_counts(db, settings) == WORLD_COUNTS


def test_a_failure_is_kept_without_the_personal_data_its_message_quotes() -> None:
    """Neo4j's messages quote the key a statement failed on: the journal keeps it masked, even where the
    message is cut at 500 characters."""
    from neo4j.exceptions import ClientError

    from ingest.loader import describe_failure

    id_number, phone = "330106199001011234", "13812345678"
    error = ClientError(f"Node(7) already exists with label `Person` and property `person_id` = '{id_number}'\n"
                        f"second line {phone}")
    kept = describe_failure(error)
    assert kept.startswith("ClientError: Node(7) already exists") and "330106********1234" in kept
    assert id_number not in kept and phone not in kept
    for pad in range(470, 500):  # the ID number straddles the 500th character
        kept = describe_failure(ValueError("x" * pad + " " + id_number))
        assert len(kept) <= 500 and "1990010" not in kept, pad
