"""Fixtures of the web API tests.

Each module gets the real session Neo4j emptied (`db`), a small graph planted with
tests/builder.py (two units in two provinces, current and former staff, experts, a project), its
two alerts raised by the real detection and its credit grades by the real credit run, users of
every role with real tokens, and the real app served by uvicorn in a thread on a free loopback
port. Nothing is mocked: requests go over HTTP to the app, the app to Neo4j.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from neo4j import Driver

from api.app import create_app
from graph.settings import Settings
from queries.alerts import detect_and_store
from queries.credit import compute_credit
from queries.detect import alert_key, make_alert_id
from queries.users import create_user
from tests.builder import Scenario
from tests.conftest import free_port

AS_OF = date(2024, 12, 31)
PHONE1 = "13812345678"
HANGZHOU, NANJING = "330100", "320100"


def api_world() -> Scenario:
    """The small graph every API test module starts from (see the comments of its persons)."""
    s = Scenario()
    s.unit("A", name="杭州市规划设计研究院", province="浙江省", city="杭州市", unit_type="事业单位", grade="甲级",
           phone="0571-88886666", legal_rep="王一")
    s.unit("B", name="南京城市规划有限公司", province="江苏省", city="南京市", unit_type="企业", grade="乙级",
           phone="025-66668888", legal_rep="李二")
    # P1: A, employed + registered, provincial expert
    s.person("P1", name="张建国", birth=date(1970, 1, 1), region=HANGZHOU, title="正高级工程师", education="博士",
             phone=PHONE1, bio="长期从事国土空间总体规划与生态修复研究。")
    # P2: employed at B, registered at A (concurrent: the CL2 alert)
    s.person("P2", name="李明", birth=date(1980, 2, 2), region=HANGZHOU, title="高级工程师", education="硕士",
             phone="13900001111")
    # P3: B only, national expert, shares P1's phone (the LK1 alert)
    s.person("P3", name="王芳", gender="女", birth=date(1975, 3, 3), region=NANJING, title="高级工程师",
             education="硕士", phone=PHONE1)
    # P4: left A in 2020, now at B
    s.person("P4", name="赵磊", birth=date(1985, 4, 4), region=NANJING, title="工程师", education="本科",
             phone="13700002222")
    s.employment("P1", "A", "2005-07-01", position="总工程师")
    s.registration("P1", "A", "2010-01-01", cert="R1")
    s.employment("P2", "B", "2015-03-01", position="规划师")
    s.registration("P2", "A", "2016-01-01", cert="R2")
    s.employment("P3", "B", "2001-09-01", position="所长")
    s.employment("P4", "A", "2012-07-01", "2020-06-30", position="助理规划师")
    s.employment("P4", "B", "2020-07-01", position="规划师")
    s.expert("E001", "P1", level="省级", fields=["国土空间总体规划", "生态修复"], appointed="2018-01-01")
    s.expert("E002", "P3", level="国家级", fields=["详细规划"], appointed="2016-01-01")
    s.project("J001", "A", "2021-01-01", name="杭州市国土空间总体规划（2021-2035年）", level="市级", plan_type="总体规划",
              status="已完成", description="统筹耕地保护、生态保护红线和城镇开发边界。")
    s.member("J001", "P1", "A", "项目负责人")
    return s


WORLD = api_world()
P1, P2, P3, P4 = (WORLD.p(k) for k in ("P1", "P2", "P3", "P4"))
UNIT_A, UNIT_B = WORLD.u("A"), WORLD.u("B")
# The ids detection gives the two alerts (stable: the rule and its key).
CL2_ALERT = make_alert_id("CL2", alert_key("CL2", [P2], sorted([UNIT_A, UNIT_B]), None, None))
LK1_ALERT = make_alert_id("LK1", alert_key("LK1", [P1, P3], [], None, None))


def plant(driver: Driver, settings: Settings, folder: Path) -> None:
    """Load the world, raise its alerts (CL2 high, LK1 medium) and grade its units."""
    api_world().load(driver, settings, folder)
    alerts = detect_and_store(driver, settings, AS_OF, ["CL2", "LK1"])
    assert {a.alert_id for a in alerts} == {CL2_ALERT, LK1_ALERT}, alerts
    compute_credit(driver, settings, AS_OF)


@dataclass
class Site:
    """A running app: its base URL and one token per role (hr_a / hr_b are unit_hr of A / B)."""

    base: str
    tokens: dict[str, str]
    user_ids: dict[str, str]

    def client(self, who: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=60)

    def get(self, who: str | None, path: str, **kw: Any) -> httpx.Response:
        with self.client(who) as c:
            return c.get(path, **kw)

    def post(self, who: str | None, path: str, **kw: Any) -> httpx.Response:
        with self.client(who) as c:
            return c.post(path, **kw)


def make_users(driver: Driver, settings: Settings) -> tuple[dict[str, str], dict[str, str]]:
    tokens, ids = {}, {}
    for who, role, unit in [("manager", "manager", None), ("inspector", "inspector", None), ("admin", "admin", None),
                            ("hr_a", "unit_hr", UNIT_A), ("hr_b", "unit_hr", UNIT_B)]:
        ids[who], tokens[who] = create_user(driver, settings, role, unit, f"test {who}")
    return tokens, ids


class ThreadServer:
    """uvicorn serving an app in a background thread (stopped by ``stop``)."""

    def __init__(self, app: Any, port: int) -> None:
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                    lifespan="on", access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.base = f"http://127.0.0.1:{port}"

    def start(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 120
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self.base

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest, settings: Settings, db: Driver,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The planted graph, users of every role and the app on a free port (one per test module).

    A module sets ``APP_OPTIONS`` (create_app keywords) to warm the NLP matcher or load the embedder.
    """
    plant(db, settings, tmp_path_factory.mktemp("api-world"))
    tokens, ids = make_users(db, settings)
    options = {"load_models": False, "warm_nlp": False, **getattr(request.module, "APP_OPTIONS", {})}
    srv = ThreadServer(create_app(settings, driver=db, **options), free_port())
    base = srv.start()
    yield Site(base=base, tokens=tokens, user_ids=ids)
    srv.stop()


def wait_until_serving(base: str, proc: subprocess.Popen[Any], timeout_s: float, output: Any = None) -> None:
    """Wait until a `plantalent serve` process at ``base`` answers /api/health; fail with ``output()`` (its
    log) if it exits or does not answer within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(f"{base}/api/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, output() if output else "serve exited"
        assert time.monotonic() < deadline, f"serve did not answer within {timeout_s:.0f} s"
        time.sleep(1)


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (one per test module)."""
    if not Path(CHROMIUM).exists():
        # Outside CI a machine without the browser skips these tests; CI must run them, so there a
        # missing browser fails the run instead of passing it silently.
        if os.environ.get("CI") == "true":
            pytest.fail(f"Debian chromium ({CHROMIUM}) is missing: CI (CI=true) must run the browser tests")
        pytest.skip("Debian chromium not installed")
    from playwright.sync_api import sync_playwright  # the browser tests only

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()
