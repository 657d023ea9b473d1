"""Fixtures for the detection tests: a tiny builder of input CSV folders, loaded with the real
ingest (`ingest.loader.load_folder`) into the real Neo4j of the session.

A test plants its scenario with short names (persons "a", "b"; units "U1", "U2"); the builder
turns them into checksummed ID numbers / USCCs, writes the CSV files of DESIGN.md and loads them.
`fresh` empties the database before each test, so every test sees only its own scenario.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from stdnum.cn import ric, uscc

from graph.settings import Settings
from queries.detect import Alert, run_detection

_ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
COLUMNS = {
    "units": ["unit_id", "name", "province", "city", "unit_type", "grade", "cert_no", "cert_valid_until",
              "legal_rep", "phone", "email", "address", "parent_unit_id"],
    "persons": ["person_id", "name", "gender", "birth_date", "education", "school", "major", "title", "phone",
                "email", "civil_servant", "retired", "bio"],
    "registrations": ["cert_no", "person_id", "unit_id", "valid_from", "valid_to"],
    "employments": ["person_id", "unit_id", "start_date", "end_date", "position"],
    "social_insurance": ["person_id", "unit_id", "payer_name", "payer_type", "province", "start_month", "end_month"],
    "projects": ["project_id", "name", "level", "plan_type", "province", "city", "county", "lead_unit_id",
                 "start_date", "end_date", "status", "description"],
    "project_members": ["project_id", "person_id", "unit_id", "role"],
    "applications": ["application_id", "unit_id", "grade", "submitted", "decided", "result"],
    "application_staff": ["application_id", "person_id", "role"],
    "reorganizations": ["from_unit_id", "to_unit_id", "date", "kind"],
}
AS_OF = date(2024, 12, 31)


def person_number(n: int) -> str:
    """A valid 18-digit resident ID number (born 1980-01-01 in Beijing Dongcheng), n < 1000."""
    first = f"11010119800101{n:03d}"
    return first + ric.calc_check_digit(first + "0")


def unit_number(n: int) -> str:
    """A valid 18-character USCC."""
    f8 = f"{n:08d}"
    total = sum(_ALPHA.index(c) * w for c, w in zip(f8, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    first = "91330100" + f8 + check
    return first + uscc.calc_check_digit(first + "0")


class Scenario:
    """Input rows keyed by short names; `load()` writes the CSV folder and ingests it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rows: dict[str, list[dict[str, str]]] = defaultdict(list)
        self.pids: dict[str, str] = {}
        self.uids: dict[str, str] = {}
        self.external: set[str] = set()
        self.names: dict[str, str] = {}
        self._cert = 0

    # ---- ids ----------------------------------------------------------------------------------
    def p(self, key: str) -> str:
        """The ID number of person ``key`` (declared with defaults on first use)."""
        if key not in self.pids:
            self.person(key)
        return self.pids[key]

    def u(self, key: str) -> str:
        """The USCC of unit ``key`` (declared with defaults on first use)."""
        if key not in self.uids:
            self.unit(key)
        return self.uids[key]

    # ---- entities -----------------------------------------------------------------------------
    def person(self, key: str, *, name: str | None = None, phone: str = "", email: str = "",
               civil_servant: bool = False, retired: bool = False) -> str:
        pid = person_number(len(self.pids) + 1)
        self.pids[key] = pid
        self.names[pid] = key
        self.rows["persons"].append({"person_id": pid, "name": name or f"人员{key}", "gender": "男",
                                     "phone": phone, "email": email, "civil_servant": "是" if civil_servant else "否",
                                     "retired": "是" if retired else "否"})
        return pid

    def unit(self, key: str, *, grade: str = "乙级", parent: str | None = None, phone: str = "", email: str = "",
             legal_rep: str | None = None, unit_type: str = "企业", province: str = "浙江省",
             external: bool = False) -> str:
        uid = unit_number(len(self.uids) + 1)
        self.uids[key] = uid
        self.names[uid] = key
        if external:
            self.external.add(key)
            return uid
        self.rows["units"].append({"unit_id": uid, "name": f"单位{key}", "province": province, "city": "杭州市",
                                   "unit_type": unit_type, "grade": grade, "legal_rep": legal_rep or f"法人{key}",
                                   "phone": phone, "email": email,
                                   "parent_unit_id": self.u(parent) if parent else ""})
        return uid

    # ---- records ------------------------------------------------------------------------------
    def registration(self, p: str, u: str, start: str, end: str = "") -> None:
        self._cert += 1
        self.rows["registrations"].append({"cert_no": f"ZC{self._cert:05d}", "person_id": self.p(p),
                                           "unit_id": self.u(u), "valid_from": start, "valid_to": end})

    def employment(self, p: str, u: str, start: str, end: str = "") -> None:
        self.rows["employments"].append({"person_id": self.p(p), "unit_id": self.u(u), "start_date": start,
                                         "end_date": end, "position": "规划师"})

    def insurance(self, p: str, u: str, start_month: str, end_month: str = "", payer_type: str = "企业") -> None:
        self.rows["social_insurance"].append({"person_id": self.p(p), "unit_id": self.u(u),
                                              "payer_name": f"单位{u}", "payer_type": payer_type, "province": "浙江省",
                                              "start_month": start_month, "end_month": end_month})

    def staff(self, p: str, u: str, start: str, end: str = "", *, registered: bool = True) -> None:
        """A consistent staff member: employed, (registered) and insured at ``u`` for the same period."""
        self.employment(p, u, start, end)
        if registered:
            self.registration(p, u, start, end)
        self.insurance(p, u, start[:7], end[:7])

    def project(self, key: str, lead: str, start: str) -> None:
        self.rows["projects"].append({"project_id": key, "name": f"项目{key}", "level": "市级", "plan_type": "详细规划",
                                      "province": "浙江省", "city": "杭州市", "lead_unit_id": self.u(lead),
                                      "start_date": start, "status": "进行中"})

    def member(self, project: str, p: str, u: str, role: str = "项目负责人") -> None:
        self.rows["project_members"].append({"project_id": project, "person_id": self.p(p), "unit_id": self.u(u),
                                             "role": role})

    def application(self, key: str, u: str, submitted: str, decided: str = "", result: str = "批准") -> None:
        self.rows["applications"].append({"application_id": key, "unit_id": self.u(u), "grade": "乙级",
                                          "submitted": submitted, "decided": decided, "result": result})

    def declare(self, application: str, p: str, role: str = "技术人员") -> None:
        self.rows["application_staff"].append({"application_id": application, "person_id": self.p(p), "role": role})

    def reorg(self, a: str, b: str, day: str, kind: str = "合并") -> None:
        self.rows["reorganizations"].append({"from_unit_id": self.u(a), "to_unit_id": self.u(b), "date": day,
                                             "kind": kind})

    # ---- load and read back -------------------------------------------------------------------
    def write(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, rows in self.rows.items():
            with open(self.folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=COLUMNS[name])
                w.writeheader()
                for r in rows:
                    w.writerow({c: r.get(c, "") for c in COLUMNS[name]})
        return self.folder

    def load(self, driver: Driver, settings: Settings) -> None:
        """Write the CSVs and ingest them; every row must load."""
        from ingest.loader import load_folder

        report = load_folder(driver, settings, self.write(), errors_path=self.folder / "errors.csv")
        assert report.rejected == 0, (self.folder / "errors.csv").read_text(encoding="utf-8")

    def key(self, alert: Alert | dict[str, Any]) -> tuple[str, ...]:
        """An alert as short names: persons, then units, then project/application id."""
        a = alert.to_json() if isinstance(alert, Alert) else alert
        out = [self.names.get(x, x) for x in a["person_ids"]] + [self.names.get(x, x) for x in a["unit_ids"]]
        out += [x for x in (a["project_id"], a["application_id"]) if x]
        return tuple(out)

    def keys(self, alerts: Iterable[Alert | dict[str, Any]], rule: str | None = None) -> set[tuple[str, ...]]:
        return {self.key(a) for a in alerts if rule is None or (a.rule if isinstance(a, Alert) else a["rule"]) == rule}


@pytest.fixture
def fresh(db: Driver, settings: Settings) -> Driver:
    """The session driver over an emptied database (schema kept)."""
    with db.session(database=settings.neo4j_database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    return db


@pytest.fixture
def scenario(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path / "input")


def detect(driver: Driver, settings: Settings, rule: str, sc: Scenario, as_of: date = AS_OF,
           person: str | None = None) -> set[tuple[str, ...]]:
    """Load the scenario, run one rule (not stored) and return the alert keys as short names."""
    sc.load(driver, settings)
    alerts = run_detection(driver, settings, as_of, [rule], sc.p(person) if person else None)
    assert all(a.rule == rule for a in alerts)
    return sc.keys(alerts)
