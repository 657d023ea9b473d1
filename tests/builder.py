"""The one way tests build a graph: the input files of DESIGN.md, loaded by the real loader.

A test plants its data with short keys (persons "a", "X01"; units "U1", "UZJ"); `Scenario` turns
them into checksum-valid ID numbers and USCCs, writes the CSV files of DESIGN.md "Input files" and
loads them with `ingest.loader.load_folder`, so every test graph has exactly the shape ingest gives
(provenance, normalised contacts, regions, external organisations).

Declaring a record again replaces it (for a person or a unit: the fields given replace those
fields), and `load` again loads the changed extract: the loader updates changed rows and leaves
the others, as it does for an operator's corrected file.

Alerts follow from the data through `queries.detect.run_detection`; a test that needs one specific
alert (an id, a severity, a workflow status) declares it with `alert`, and `load` stores it with
`queries.alerts.store_alerts` and moves it along the workflow with `set_alert_status`.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from neo4j import Driver
from stdnum.cn import ric, uscc

from graph.settings import Settings
from ingest.loader import load_folder
from ingest.schemas import SPEC_BY_NAME
from queries.alerts import Decision, set_alert_status, store_alerts
from queries.detect import Alert
from queries.users import Principal

_ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
Cell = str | int | bool | date | Sequence[str] | None
BORN = date(1980, 1, 1)
REGION = "110101"  # Beijing Dongcheng: a birth-place code valid in every year the tests use


def person_number(n: int, birth: date = BORN, region: str = REGION, female: bool = False) -> str:
    """A valid 18-digit resident ID number: ``region``, ``birth``, sequence ``n`` (< 500) and the
    gender digit (odd for men, even for women)."""
    first = f"{region}{birth:%Y%m%d}{2 * n + (0 if female else 1):03d}"
    return first + ric.calc_check_digit(first + "0")


def unit_number(n: int) -> str:
    """A valid 18-character USCC (sequence ``n`` inside, so numbers sort in declaration order)."""
    f8 = f"{n:08d}"
    total = sum(_ALPHA.index(c) * w for c, w in zip(f8, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    first = "91330100" + f8 + check
    return first + uscc.calc_check_digit(first + "0")


def _cell(value: Cell) -> str:
    """One CSV cell as an operator's extract writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(value)
    return str(value)


def _given(**fields: Cell) -> dict[str, Cell]:
    return {k: v for k, v in fields.items() if v is not None}


class Scenario:
    """Input rows keyed by short names; `load()` writes the CSV folder and ingests it."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        # file name -> record key -> row (column -> cell); a record declared again replaces its row
        self.rows: dict[str, dict[Hashable, dict[str, Cell]]] = defaultdict(dict)
        self.pids: dict[str, str] = {}
        self.uids: dict[str, str] = {}
        self.external: set[str] = set()
        self.names: dict[str, str] = {}
        self._cert = 0
        self._alerts: list[tuple[Alert, str]] = []

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

    def _put(self, file: str, key: Hashable, row: dict[str, Cell]) -> None:
        self.rows[file][key] = row

    # ---- entities -----------------------------------------------------------------------------
    def person(self, key: str, *, name: str | None = None, gender: str | None = None, birth: date | None = None,
               region: str | None = None, education: str | None = None, school: str | None = None,
               major: str | None = None, title: str | None = None, phone: str | None = None,
               email: str | None = None, civil_servant: bool | None = None, retired: bool | None = None,
               bio: str | None = None) -> str:
        """Declare person ``key`` (born ``birth`` in ``region``), or change the fields given of a declared one."""
        fields = _given(name=name, gender=gender, education=education, school=school, major=major, title=title,
                        phone=phone, email=email, civil_servant=civil_servant, retired=retired, bio=bio)
        if key in self.pids:
            assert birth is None and region is None, f"person {key}: the ID number is fixed once declared"
            self.rows["persons"][key].update(fields)
            return self.pids[key]
        pid = person_number(len(self.pids) + 1, birth or BORN, region or REGION, female=gender == "女")
        self.pids[key] = pid
        self.names[pid] = key
        self._put("persons", key, {"person_id": pid, "name": f"人员{key}", "gender": "男",
                                   "civil_servant": False, "retired": False, **fields})
        return pid

    def unit(self, key: str, *, name: str | None = None, province: str | None = None, city: str | None = None,
             unit_type: str | None = None, grade: str | None = None, parent: str | None = None,
             phone: str | None = None, email: str | None = None, legal_rep: str | None = None,
             external: bool = False) -> str:
        """Declare unit ``key`` of units.csv (or, ``external``, an organisation only referenced by
        other files), or change the fields given of a declared one."""
        fields = _given(name=name, province=province, city=city, unit_type=unit_type, grade=grade, phone=phone,
                        email=email, legal_rep=legal_rep, parent_unit_id=self.u(parent) if parent else None)
        if key in self.uids:
            assert key not in self.external and not external, f"unit {key}: external organisations have no row"
            self.rows["units"][key].update(fields)
            return self.uids[key]
        uid = unit_number(len(self.uids) + 1)
        self.uids[key] = uid
        self.names[uid] = key
        if external:
            self.external.add(key)
            return uid
        self._put("units", key, {"unit_id": uid, "name": f"单位{key}", "province": "浙江省", "city": "杭州市",
                                 "unit_type": "企业", "grade": "乙级", "legal_rep": f"法人{key}", **fields})
        return uid

    def _unit_field(self, key: str, column: str, default: str) -> Cell:
        row = self.rows["units"].get(key)
        return row.get(column) or default if row else default

    # ---- records ------------------------------------------------------------------------------
    def registration(self, p: str, u: str, start: str | date, end: str | date | None = None, *,
                     cert: str | None = None) -> None:
        if cert is None:
            self._cert += 1
            cert = f"ZC{self._cert:05d}"
        self._put("registrations", (cert, u, str(start)), {
            "cert_no": cert, "person_id": self.p(p), "unit_id": self.u(u), "valid_from": start, "valid_to": end})

    def employment(self, p: str, u: str, start: str | date, end: str | date | None = None,
                   position: str | None = "规划师") -> None:
        self._put("employments", (p, u, str(start)), {
            "person_id": self.p(p), "unit_id": self.u(u), "start_date": start, "end_date": end, "position": position})

    def insurance(self, p: str, u: str, start_month: str, end_month: str | None = None, payer_type: str = "企业",
                  *, payer_name: str | None = None, province: str | None = None) -> None:
        """An insurance period paid by ``u`` (payer name and province those of the unit unless given)."""
        self._put("social_insurance", (p, u, start_month), {
            "person_id": self.p(p), "unit_id": self.u(u),
            "payer_name": payer_name or self._unit_field(u, "name", f"单位{u}"), "payer_type": payer_type,
            "province": province or self._unit_field(u, "province", "浙江省"),
            "start_month": start_month, "end_month": end_month})

    def staff(self, p: str, u: str, start: str, end: str | None = None, *, registered: bool = True) -> None:
        """A consistent staff member: employed, (registered) and insured at ``u`` for the same period."""
        self.employment(p, u, start, end)
        if registered:
            self.registration(p, u, start, end)
        self.insurance(p, u, start[:7], end[:7] if end else None)

    def expert(self, key: str, p: str, *, level: str = "省级", fields: Sequence[str] = (),
               appointed: str | date = "2020-01-01", status: str = "在库") -> None:
        self._put("experts", key, {"expert_id": key, "person_id": self.p(p), "level": level, "fields": list(fields),
                                   "appointed": appointed, "status": status})

    def project(self, key: str, lead: str, start: str | date | None = None, *, name: str | None = None,
                level: str = "市级", plan_type: str = "详细规划", province: str = "浙江省",
                city: str | None = "杭州市", county: str | None = None, end: str | date | None = None,
                status: str = "进行中", description: str | None = None) -> None:
        self._put("projects", key, {
            "project_id": key, "name": name or f"项目{key}", "level": level, "plan_type": plan_type,
            "province": province, "city": city, "county": county, "lead_unit_id": self.u(lead),
            "start_date": start, "end_date": end, "status": status, "description": description})

    def member(self, project: str, p: str, u: str | None, role: str = "项目负责人") -> None:
        """Person ``p`` in ``role`` on ``project``, signing for unit ``u`` (None: no unit given)."""
        self._put("project_members", (project, p, role), {
            "project_id": project, "person_id": self.p(p), "unit_id": self.u(u) if u else None, "role": role})

    def application(self, key: str, u: str, submitted: str, decided: str | None = None, result: str = "批准") -> None:
        self._put("applications", key, {"application_id": key, "unit_id": self.u(u), "grade": "乙级",
                                         "submitted": submitted, "decided": decided, "result": result})

    def declare(self, application: str, p: str, role: str = "技术人员") -> None:
        self._put("application_staff", (application, p), {
            "application_id": application, "person_id": self.p(p), "role": role})

    def award(self, key: str, *, name: str, level: str, year: int, project: str | None = None,
              unit: str | None = None, persons: Sequence[str] = ()) -> None:
        self._put("awards", key, {"award_id": key, "name": name, "level": level, "year": year, "project_id": project,
                                  "unit_id": self.u(unit) if unit else None,
                                  "person_ids": [self.p(x) for x in persons]})

    def violation(self, key: str, subject: str, *, decided: str | date, subject_type: str = "个人",
                  category: str = "挂证", severity: str = "一般", points: int | None = None,
                  authority: str | None = None, penalty: str | None = None) -> None:
        """A violation against person ``subject`` (or, subject_type 单位, against unit ``subject``)."""
        sid = self.p(subject) if subject_type == "个人" else self.u(subject)
        self._put("violations", key, {
            "violation_id": key, "subject_type": subject_type, "subject_id": sid, "category": category,
            "severity": severity, "decided": decided, "authority": authority, "penalty": penalty, "points": points})

    def reorg(self, a: str, b: str, day: str, kind: str = "合并") -> None:
        self._put("reorganizations", (a, b, day, kind), {
            "from_unit_id": self.u(a), "to_unit_id": self.u(b), "date": day, "kind": kind})

    def alert(self, rule: str, *, persons: Sequence[str] = (), units: Sequence[str] = (), score: float,
              summary: str, status: str = "open", alert_id: str = "", period: dict[str, str | None] | None = None,
              evidence: Sequence[dict[str, Any]] = ()) -> Alert:
        """A specific alert, stored by the next `load` (then set to ``status`` through the workflow)."""
        alert = Alert(rule=rule, score=score, person_ids=[self.p(x) for x in persons],
                      unit_ids=[self.u(x) for x in units], period=period or {"from": None, "to": None},
                      summary=summary, evidence=list(evidence), alert_id=alert_id)
        self._alerts.append((alert, status))
        return alert

    # ---- load and read back -------------------------------------------------------------------
    def write(self, folder: Path | None = None) -> Path:
        """Write one CSV per input file that has rows (DESIGN.md columns, in their order)."""
        folder = folder or self.folder
        assert folder is not None, "a Scenario needs a folder to write its files to"
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        for name, rows in self.rows.items():
            columns = [c.name for c in SPEC_BY_NAME[name].columns]
            with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=columns)
                w.writeheader()
                for r in rows.values():
                    w.writerow({c: _cell(r.get(c)) for c in columns})
        return folder

    def load(self, driver: Driver, settings: Settings, folder: Path | None = None) -> None:
        """Write the CSVs and ingest them (every row must load); then store the declared alerts."""
        folder = self.write(folder)
        report = load_folder(driver, settings, folder, errors_path=folder / "errors.csv")
        assert report.rejected == 0, (folder / "errors.csv").read_text(encoding="utf-8")
        pending, self._alerts = self._alerts, []
        if pending:
            store_alerts(driver, settings, [a for a, _ in pending], as_of=settings.today(), rules=[])
        for a, status in pending:
            if status != "open":
                set_alert_status(driver, settings, a.alert_id, Decision(status, "测试设定 set by the test"),
                                 Principal("test", "admin"))

    def key(self, alert: Alert | dict[str, Any]) -> tuple[str, ...]:
        """An alert as short names: persons, then units, then project/application id."""
        a = alert.to_json() if isinstance(alert, Alert) else alert
        out = [self.names.get(x, x) for x in a["person_ids"]] + [self.names.get(x, x) for x in a["unit_ids"]]
        out += [x for x in (a["project_id"], a["application_id"]) if x]
        return tuple(out)

    def keys(self, alerts: Iterable[Alert | dict[str, Any]], rule: str | None = None) -> set[tuple[str, ...]]:
        return {self.key(a) for a in alerts if rule is None or (a.rule if isinstance(a, Alert) else a["rule"]) == rule}
