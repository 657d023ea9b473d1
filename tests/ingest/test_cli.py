"""The CLI in a subprocess: exit codes 0/3/2, the report file, `stats --json`, and a load killed
mid-way then re-run to completion."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from neo4j import Driver

from graph.schema import missing_schema
from graph.settings import Settings
from ingest.loader import load_folder
from ingest.stats import STATS_KEYS, entity_counts
from tests.ingest.conftest import (
    BAD_ROW_PERSON,
    U1,
    WORLD_COUNTS,
    graph_checksum,
    make_id,
    wipe,
    world,
    write_file,
    write_folder,
)

PLANTALENT = str(Path(sys.executable).parent / "plantalent")


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLANTALENT, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=600)


def test_exit_codes_and_report(db: Driver, settings: Settings, cli_env: dict[str, str], tmp_path: Path) -> None:
    wipe(db, settings)
    good = write_folder(tmp_path / "good", world())
    done = run(["ingest", str(good)], cli_env, tmp_path)
    assert done.returncode == 0, done.stderr
    # Default report path, header only when nothing was rejected.
    assert (tmp_path / "ingest-errors.csv").read_text(encoding="utf-8") == "file,line,column,value,reason\n"
    stats = run(["stats", "--json"], cli_env, tmp_path)
    assert stats.returncode == 0, stats.stderr
    counts = json.loads(stats.stdout)
    assert list(counts) == list(STATS_KEYS) and counts == WORLD_COUNTS

    bad = write_folder(tmp_path / "bad", {"persons": world()["persons"] + [BAD_ROW_PERSON]})
    report = tmp_path / "out" / "bad.csv"
    done = run(["ingest", str(bad), "--errors", str(report)], cli_env, tmp_path)
    assert done.returncode == 3, done.stderr
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file,line,column,value,reason"
    assert lines[1].startswith(f"persons.csv,6,person_id,{BAD_ROW_PERSON['person_id']},")

    # Fatal: missing folder, unusable header, ambiguous files -> 2 and nothing written.
    before = graph_checksum(db, settings)
    loads = db.execute_query("MATCH (l:Load) RETURN count(l) AS n", database_=settings.neo4j_database).records[0]["n"]
    done = run(["ingest", str(tmp_path / "nope")], cli_env, tmp_path)
    assert done.returncode == 2 and "does not exist" in done.stderr
    unusable = write_folder(tmp_path / "unusable", world())
    write_file(unusable, "persons", world()["persons"], headers=["pid", *[c for c in world()["persons"][0] if c != "person_id"]])
    done = run(["ingest", str(unusable), "--errors", str(tmp_path / "fatal.csv")], cli_env, tmp_path)
    assert done.returncode == 2 and "person_id [身份证号]" in done.stderr and "pid" in done.stderr
    both = write_folder(tmp_path / "both", {"units": world()["units"]})
    write_file(both, "units", world()["units"], "xlsx")
    done = run(["ingest", str(both)], cli_env, tmp_path)
    assert done.returncode == 2 and "keep only one" in done.stderr
    # (A missing argument is a click usage error; its exit code is api/cli.py main()'s business.)
    assert graph_checksum(db, settings) == before
    assert db.execute_query("MATCH (l:Load) RETURN count(l) AS n", database_=settings.neo4j_database).records[0]["n"] == loads
    assert not (tmp_path / "fatal.csv").exists()


def _big_folder(folder: Path, n: int) -> Path:
    base = world()
    person = dict(base["persons"][0])
    persons = [dict(person, person_id=make_id(i, date(1970, 1, 1) + timedelta(days=i // 1000)), name=f"人员{i}", birth_date="")
               for i in range(n)]
    employments = [{"person_id": p["person_id"], "unit_id": U1, "start_date": "2020-01-01", "end_date": "",
                    "position": "规划师"} for p in persons]
    return write_folder(folder, {"units": base["units"], "persons": persons, "employments": employments})


@pytest.mark.parametrize("defer", ["-1", "0"], ids=["indexes-kept", "indexes-deferred"])
def test_killed_load_resumes_to_the_same_graph(db: Driver, settings: Settings, cli_env: dict[str, str],
                                               tmp_path: Path, defer: str) -> None:
    """Killed mid-way (with the secondary indexes kept, or dropped for a bulk load into an empty graph),
    the re-run gives the same graph and the whole schema back."""
    folder = _big_folder(tmp_path / "big", 1500)
    wipe(db, settings)
    load_folder(db, settings, folder)
    skip = ("load_id", "loaded_at")
    expected = graph_checksum(db, settings, skip=skip)
    expected_counts = entity_counts(db, settings)

    wipe(db, settings)
    env = dict(cli_env, PLANTALENT_BATCH_SIZE="30", PLANTALENT_INGEST_DEFER_INDEX_ROWS=defer)
    proc = subprocess.Popen([PLANTALENT, "ingest", str(folder)], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    persons = 0
    while time.monotonic() < deadline and proc.poll() is None:
        persons = db.execute_query("MATCH (p:Person) RETURN count(p) AS n",
                                   database_=settings.neo4j_database).records[0]["n"]
        if persons > 0:
            proc.kill()
            break
        time.sleep(0.02)
    proc.wait(timeout=60)
    assert proc.returncode == -9, "the load finished before it could be killed"
    partial = entity_counts(db, settings)
    assert 0 < partial["persons"] + partial["employments"] < 3000
    assert db.execute_query("MATCH (l:Load) RETURN l.status AS s", database_=settings.neo4j_database).records[0]["s"] == "running"

    done = run(["ingest", str(folder)], env, tmp_path)
    assert done.returncode == 0, done.stderr
    statuses = [r["s"] for r in db.execute_query("MATCH (l:Load) RETURN l.status AS s ORDER BY l.started_at",
                                                 database_=settings.neo4j_database).records]
    assert statuses == ["interrupted", "done"]
    assert entity_counts(db, settings) == expected_counts
    assert graph_checksum(db, settings, skip=skip) == expected
    assert missing_schema(db, settings) == set()
