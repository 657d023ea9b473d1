"""Uploads as jobs (DESIGN.md "Data lifecycle"): POST /api/ingest answers at once with a job; the job loads
the files and refreshes tags, alerts and credit; GET /api/jobs/{job_id} reports stage, progress and outcome;
a second upload waits its turn; a failing job says where and leaves the graph as after its last completed
stage; `plantalent refresh` runs the same refresh. The real app over HTTP, the real Neo4j, real failures."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import Driver

from api.app import create_app
from graph.db import read
from graph.process import this_process
from graph.settings import Settings
from queries import jobs
from queries.users import create_user
from tests.api.conftest import ThreadServer
from tests.conftest import free_port
from tests.ingest.conftest import P1, U2, wipe, world, write_file, write_folder
from tests.ingest.test_kill import big_world

PLANTALENT = str(Path(sys.executable).parent / "plantalent")
CHROMIUM = "/usr/bin/chromium"
AS_OF = date(2024, 1, 1)


def _world() -> dict[str, list[dict[str, str]]]:
    data = world()
    # P1 also worked at U2 while employed at U1: detection raises a CL2 alert.
    data["employments"].append({"person_id": P1, "unit_id": U2, "start_date": "2020-01-01", "end_date": "2021-12-31",
                                "position": "兼职"})
    return data


def _files(folder: Path) -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (p.name, p.read_bytes())) for p in sorted(folder.iterdir())]


class App:
    def __init__(self, settings: Settings, db: Driver) -> None:
        _, self.admin = create_user(db, settings, "admin", None, "jobs admin")
        _, self.manager = create_user(db, settings, "manager", None, "jobs manager")
        self.server = ThreadServer(create_app(settings, driver=db, load_models=False, warm_nlp=False), free_port())
        self.base = self.server.start()

    def client(self, token: str | None = None) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=300, headers={"Authorization": f"Bearer {token or self.admin}"})

    def upload(self, folder: Path, **params: Any) -> httpx.Response:
        with self.client() as c:
            return c.post("/api/ingest", files=_files(folder), params=params)

    def job(self, job_id: str) -> dict[str, Any]:
        with self.client() as c:
            r = c.get(f"/api/jobs/{job_id}")
        assert r.status_code == 200, r.text
        return r.json()

    def wait(self, job_id: str, timeout: float = 1800) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while (job := self.job(job_id))["status"] in ("queued", "running"):
            assert time.monotonic() < deadline, job
            time.sleep(0.5)
        return job


@pytest.fixture(scope="module")
def app(settings: Settings, db: Driver) -> Iterator[App]:
    wipe(db, settings)
    site = App(settings.model_copy(update={"as_of": AS_OF}), db)
    yield site
    site.server.stop()


def _count(db: Driver, settings: Settings, query: str) -> int:
    return int(read(db, settings, query)[0]["n"])


def test_an_upload_is_a_job_that_loads_then_refreshes(app: App, db: Driver, settings: Settings, tmp_path: Path) -> None:
    r = app.upload(write_folder(tmp_path / "in", _world()))
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["location"] == f"/api/jobs/{job['job_id']}"
    assert job["status"] in ("queued", "running") and job["kind"] == "ingest"
    assert job["stages"] == ["load", "tag", "detect", "credit"]
    done = app.wait(job["job_id"])
    assert done["status"] == "done" and done["done_stages"] == done["stages"] and done["error"] is None
    load = done["outcome"]["load"]
    assert load["rows"] == load["loaded"] == sum(len(v) for v in _world().values()) and load["rejected"] == 0
    assert done["outcome"]["detect"]["per_rule"]["CL2"] == 2  # P1's (below) and P2's of the world
    assert done["outcome"]["tag"]["persons"] == 4 and done["outcome"]["credit"]["units"] >= 2
    # The refresh wrote what the pages show: alerts, tags, grades.
    assert _count(db, settings, "MATCH (a:Alert {rule: 'CL2'}) RETURN count(a) AS n") == 2
    assert _count(db, settings, "MATCH (:Person)-[:HAS_TAG]->() RETURN count(*) AS n") > 0
    assert _count(db, settings, "MATCH (u:Unit) WHERE u.credit_grade IS NOT NULL RETURN count(u) AS n") == \
        done["outcome"]["credit"]["units"]
    # The uploaded files are gone with the job.
    assert not jobs.upload_dir(settings, job["job_id"]).exists()
    with app.client() as c:
        listed = c.get("/api/jobs").json()
    assert listed["data"][0]["job_id"] == job["job_id"]


def test_a_second_upload_waits_for_the_first(app: App, db: Driver, settings: Settings, tmp_path: Path) -> None:
    first = app.upload(write_folder(tmp_path / "big", big_world(2000))).json()
    second = app.upload(write_folder(tmp_path / "small", {"units": world()["units"]})).json()
    deadline = time.monotonic() + 600
    while app.job(first["job_id"])["status"] == "queued":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert app.job(second["job_id"])["status"] == "queued"  # not interleaved with the running one
    a, b = app.wait(first["job_id"]), app.wait(second["job_id"])
    assert a["status"] == b["status"] == "done"
    assert b["started_at"] >= a["finished_at"]
    loads = {x["load_id"]: x for x in read(db, settings, "MATCH (l:Load) RETURN l.load_id AS load_id, "
                                                         "toString(l.started_at) AS s, toString(l.finished_at) AS f")}
    la, lb = loads[a["outcome"]["load"]["load_id"]], loads[b["outcome"]["load"]["load_id"]]
    assert lb["s"] >= la["f"]


def test_a_bad_file_fails_the_job_at_the_load_and_writes_nothing(app: App, db: Driver, settings: Settings,
                                                                 tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    write_file(folder, "persons", world()["persons"], headers=["pid", *[c for c in world()["persons"][0] if c != "person_id"]])
    data = "MATCH (n) WHERE NOT n:Job AND NOT n:Lock AND NOT n:GraphVersion AND NOT n:AuditEvent RETURN count(n) AS n"
    before = _count(db, settings, data)
    job = app.wait(app.upload(folder).json()["job_id"])
    assert job["status"] == "failed" and job["failed_stage"] == "load" and job["done_stages"] == []
    assert "person_id [身份证号]" in job["error"]
    assert _count(db, settings, data) == before  # no row, no journal entry: nothing was written


def test_a_failing_stage_says_where_and_keeps_the_stages_before(settings: Settings, db: Driver, tmp_path: Path) -> None:
    """Credit cannot read its weights: the job fails at credit; the load, tags and alerts are in the graph,
    no unit was graded."""
    # Everything but the users (the module's app keeps its tokens).
    with db.session(database=settings.neo4j_database) as session:  # IN TRANSACTIONS: an implicit transaction
        session.run("MATCH (n) WHERE NOT n:User CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()
    bad = tmp_path / "weights.toml"
    bad.write_text("this is [not toml", encoding="utf-8")
    site = App(settings.model_copy(update={"as_of": AS_OF, "credit_weights_file": bad}), db)
    try:
        job = site.wait(site.upload(write_folder(tmp_path / "in", _world())).json()["job_id"])
    finally:
        site.server.stop()
    assert job["status"] == "failed" and job["failed_stage"] == "credit"
    assert job["done_stages"] == ["load", "tag", "detect"] and "credit weights" in job["error"]
    assert set(job["outcome"]) == {"load", "tag", "detect"}
    assert _count(db, settings, "MATCH (a:Alert) RETURN count(a) AS n") == job["outcome"]["detect"]["alerts"] > 0
    assert _count(db, settings, "MATCH (u:Unit) WHERE u.credit_grade IS NOT NULL RETURN count(u) AS n") == 0


def test_jobs_are_for_admins_and_declared_in_openapi(app: App) -> None:
    with app.client(app.manager) as c:
        assert c.get("/api/jobs").status_code == 404
        assert c.post("/api/ingest", files=[("files", ("units.csv", b"unit_id\n"))]).status_code == 404
    with app.client() as c:
        assert c.get("/api/jobs/J-nope").status_code == 404
    spec = httpx.get(app.base + "/openapi.json", timeout=60).json()
    ingest = spec["paths"]["/api/ingest"]["post"]["responses"]
    assert {"202", "400", "401", "404", "413", "422"} <= set(ingest)
    assert {"200", "401", "404"} <= set(spec["paths"]["/api/jobs/{job_id}"]["get"]["responses"])


def test_a_job_of_a_dead_process_is_interrupted(db: Driver, settings: Settings) -> None:
    job_id = jobs.create_job(db, settings, "refresh", requested_by="test")
    dead = dict(this_process().as_dict(), pid=this_process().pid + 1_000_000)
    db.execute_query("MATCH (j:Job {job_id: $id}) SET j.owner = $o", id=job_id, o=json.dumps(dead),
                     database_=settings.neo4j_database)
    assert job_id in jobs.settle(db, settings)
    job = jobs.get_job(db, settings, job_id)
    assert job["status"] == "interrupted" and "upload the files again" in job["error"]


def test_refresh_command(db: Driver, settings: Settings, cli_env: dict[str, str], tmp_path: Path) -> None:
    env = dict(cli_env, PLANTALENT_AS_OF=AS_OF.isoformat())
    done = subprocess.run([PLANTALENT, "refresh", "--no-embed", "--json"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    job = json.loads(done.stdout)
    assert job["kind"] == "refresh" and job["status"] == "done" and job["done_stages"] == ["tag", "detect", "credit"]
    assert job["params"]["as_of"] == AS_OF.isoformat() and job["requested_by"] == "cli"
    bad = tmp_path / "weights.toml"
    bad.write_text("[oops", encoding="utf-8")
    failed = subprocess.run([PLANTALENT, "refresh", "--no-embed"], env=dict(env, PLANTALENT_CREDIT_WEIGHTS=str(bad)),
                            cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert failed.returncode == 1
    assert "failed at stage credit" in failed.stderr and "stages done: tag, detect" in failed.stderr
    assert failed.stderr.count("\n") == 1  # one line


@pytest.mark.browser
def test_the_admin_page_uploads_and_follows_the_job(app: App, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    from playwright.sync_api import sync_playwright  # the browser driver: only the browser tests need it

    folder = write_folder(tmp_path / "page", {"units": world()["units"], "persons": world()["persons"]})
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_context(locale="zh-CN").new_page()
            page.set_default_timeout(300_000)
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(app.base + "/login")
            page.fill("#token", app.admin)
            page.click("#signin")
            page.wait_for_url(app.base + "/")
            page.goto(app.base + "/admin")
            page.set_input_files("#ingest-files", [str(p) for p in sorted(folder.iterdir())])
            page.click("text=上传并导入")
            # (a locator, not wait_for_function: the page's Content-Security-Policy forbids evaluating strings)
            page.locator("#job .job-status", has_text=re.compile("^(已完成|失败)$")).wait_for()
            text = page.inner_text("#job")
            assert "已完成" in text and "共 7 行" in text and "✓ 信用评价" in text, text
            assert errors == []
        finally:
            browser.close()
