"""Fixtures of the web API tests.

Each module gets the real session Neo4j emptied (`db`), a small graph seeded in Cypher following
docs/graph-model.md (two units in two provinces, current and former staff, experts, a project and
two alerts), users of every role with real tokens, and the real app served by uvicorn in a thread
on a free loopback port. Nothing is mocked: requests go over HTTP to the app, the app to Neo4j.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from neo4j import Driver

from api.app import create_app
from graph.db import write
from graph.settings import Settings
from queries.users import create_user
from tests.conftest import free_port

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(region: str, birth: str, seq: str) -> str:
    """A checksum-valid 18-digit resident ID from region (6), birth (YYYYMMDD) and sequence (3)."""
    body = region + birth + seq
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


UNIT_A = "91330100MA2AAAAA1A"
UNIT_B = "91320100MA2BBBBB2B"
P1 = id_number("330106", "19700101", "011")  # A: employed + registered, provincial expert
P2 = id_number("330106", "19800202", "022")  # employed at B, registered at A (concurrent)
P3 = id_number("320102", "19750303", "033")  # B only, expert
P4 = id_number("320102", "19850404", "044")  # left A in 2020, now at B
PHONE1 = "13812345678"

SEED = """
CREATE (a:Org:Unit {unit_id: $A, name: '杭州市规划设计研究院', province: '浙江省', city: '杭州市', region: '华东',
        unit_type: '事业单位', grade: '甲级', phone: '0571-88886666', legal_rep: '王一', credit_grade: 'B',
        credit_index: 0.62, credit_factors: '{"dimensions": {"strength": 0.7}, "credit_points": 98}'})
CREATE (b:Org:Unit {unit_id: $B, name: '南京城市规划有限公司', province: '江苏省', city: '南京市', region: '华东',
        unit_type: '企业', grade: '乙级', phone: '025-66668888', legal_rep: '李二', credit_grade: 'D', credit_index: 0.21})
CREATE (p1:Person {person_id: $P1, name: '张建国', gender: '男', birth_date: date('1970-01-01'), title: '正高级工程师',
        education: '博士', phone: $PHONE1, bio: '长期从事国土空间总体规划与生态修复研究。'})
CREATE (p2:Person {person_id: $P2, name: '李明', gender: '男', birth_date: date('1980-02-02'), title: '高级工程师',
        education: '硕士', phone: '13900001111'})
CREATE (p3:Person {person_id: $P3, name: '王芳', gender: '女', birth_date: date('1975-03-03'), title: '高级工程师',
        education: '硕士', phone: $PHONE1})
CREATE (p4:Person {person_id: $P4, name: '赵磊', gender: '男', birth_date: date('1985-04-04'), title: '工程师',
        education: '本科', phone: '13700002222'})
CREATE (p1)-[:HAS_EMPLOYMENT]->(:Employment {emp_id: $P1 + '|' + $A + '|2005-07-01', person_id: $P1, unit_id: $A,
        start_date: date('2005-07-01'), position: '总工程师'})-[:AT]->(a)
CREATE (p1)-[:HAS_REGISTRATION]->(:Registration {reg_id: 'R1|' + $A + '|2010-01-01', cert_no: 'R1', person_id: $P1,
        unit_id: $A, valid_from: date('2010-01-01')})-[:AT]->(a)
CREATE (p2)-[:HAS_EMPLOYMENT]->(:Employment {emp_id: $P2 + '|' + $B + '|2015-03-01', person_id: $P2, unit_id: $B,
        start_date: date('2015-03-01'), position: '规划师'})-[:AT]->(b)
CREATE (p2)-[:HAS_REGISTRATION]->(:Registration {reg_id: 'R2|' + $A + '|2016-01-01', cert_no: 'R2', person_id: $P2,
        unit_id: $A, valid_from: date('2016-01-01')})-[:AT]->(a)
CREATE (p3)-[:HAS_EMPLOYMENT]->(:Employment {emp_id: $P3 + '|' + $B + '|2001-09-01', person_id: $P3, unit_id: $B,
        start_date: date('2001-09-01'), position: '所长'})-[:AT]->(b)
CREATE (p4)-[:HAS_EMPLOYMENT]->(:Employment {emp_id: $P4 + '|' + $A + '|2012-07-01', person_id: $P4, unit_id: $A,
        start_date: date('2012-07-01'), end_date: date('2020-06-30'), position: '助理规划师'})-[:AT]->(a)
CREATE (p4)-[:HAS_EMPLOYMENT]->(:Employment {emp_id: $P4 + '|' + $B + '|2020-07-01', person_id: $P4, unit_id: $B,
        start_date: date('2020-07-01'), position: '规划师'})-[:AT]->(b)
CREATE (p1)-[:IS_EXPERT]->(:Expert {expert_id: 'E001', person_id: $P1, level: '省级', fields: ['国土空间总体规划', '生态修复'],
        appointed: date('2018-01-01'), status: '在库'})
CREATE (p3)-[:IS_EXPERT]->(:Expert {expert_id: 'E002', person_id: $P3, level: '国家级', fields: ['详细规划'],
        appointed: date('2016-01-01'), status: '在库'})
CREATE (j:Project {project_id: 'J001', name: '杭州市国土空间总体规划（2021-2035年）', level: '市级', plan_type: '总体规划',
        province: '浙江省', city: '杭州市', lead_unit_id: $A, start_date: date('2021-01-01'), status: '已完成',
        description: '统筹耕地保护、生态保护红线和城镇开发边界。'})-[:LED_BY]->(a)
CREATE (p1)-[:MEMBER_OF {role: '项目负责人', unit_id: $A}]->(j)
CREATE (al:Alert {alert_id: 'ALERT-CL2-0001', rule: 'CL2', severity: 'high', score: 0.9, status: 'open',
        summary: '李明同时在两家单位任职或注册', person_ids: [$P2], unit_ids: [$A, $B], period_from: date('2016-01-01'),
        period_to: date('2024-12-31'), evidence: '[{"kind": "registration", "ids": ["R2"]}]',
        first_seen: datetime(), last_seen: datetime()})
CREATE (al)-[:CONCERNS]->(p2), (al)-[:CONCERNS]->(a), (al)-[:CONCERNS]->(b)
CREATE (al2:Alert {alert_id: 'ALERT-LK1-0002', rule: 'LK1', severity: 'medium', score: 0.5, status: 'open',
        summary: '张建国与王芳共用同一联系电话', person_ids: [$P1, $P3], unit_ids: [], evidence: '[{"kind": "phone"}]',
        first_seen: datetime(), last_seen: datetime()})
CREATE (al2)-[:CONCERNS]->(p1), (al2)-[:CONCERNS]->(p3)
"""


def seed_graph(driver: Driver, settings: Settings) -> None:
    """The small graph every API test module starts from."""
    write(driver, settings, SEED, A=UNIT_A, B=UNIT_B, P1=P1, P2=P2, P3=P3, P4=P4, PHONE1=PHONE1)


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
def site(request: pytest.FixtureRequest, settings: Settings, db: Driver) -> Iterator[Site]:
    """The seeded graph, users of every role and the app on a free port (one per test module).

    A module sets ``APP_OPTIONS`` (create_app keywords) to warm the NLP matcher or load the embedder.
    """
    seed_graph(db, settings)
    tokens, ids = make_users(db, settings)
    options = {"load_models": False, "warm_nlp": False, **getattr(request.module, "APP_OPTIONS", {})}
    srv = ThreadServer(create_app(settings, driver=db, **options), free_port())
    base = srv.start()
    yield Site(base=base, tokens=tokens, user_ids=ids)
    srv.stop()
