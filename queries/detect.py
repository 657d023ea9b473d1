"""Detection rules (DESIGN.md "Detection rules"): one named Cypher read per rule, final steps here.

Each rule function reads the graph with its query ``queries/rules/<code>.cypher`` and turns the
rows into :class:`Alert` objects. Conventions shared by all rules (DESIGN.md): periods are
inclusive, an open end runs to ``as_of``; records starting after ``as_of`` are ignored and ends
after ``as_of`` are clipped to it (detection only sees what was known on that day).
Months are integers ``year * 12 + month - 1`` in Python and the Date of the 1st in the graph.

Severity and score are explained in docs/detection.md: each rule has a base score, raised by the
magnitude of the finding (months, days, moves, persons) and capped at 1; severity follows the
score (>= 0.7 high, >= 0.45 medium, else low).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.db import Source, read
from graph.errors import InvalidInput
from graph.settings import Settings
from queries.analytics import related_unit_communities

CYPHER = CypherFiles(__file__, "rules")

RULES: tuple[str, ...] = (
    "CL1", "CL2", "CL3", "CL4", "CL5", "TR1", "TR2", "TR3", "TR4", "LK1", "LK2", "LK3", "QA1",
)
# Rules about units only: a --person run skips them (they have no person in their key).
UNIT_RULES = frozenset({"LK2", "QA1"})
# Rules by their time on the national sample, slowest first (the order a parallel run starts them).
_COST_ORDER = ("CL4", "CL5", "TR3", "TR1", "TR4", "CL2", "QA1", "CL1", "TR2", "CL3", "LK1", "LK3", "LK2")
RESPONSIBLE_ROLES = ["项目负责人", "技术负责人"]
RULE_NAMES = {
    "CL1": "人证分离", "CL2": "多处执业", "CL3": "公职人员挂证", "CL4": "项目挂名", "CL5": "多头参保",
    "TR1": "频繁调动", "TR2": "借人申报", "TR3": "集体流动", "TR4": "往返调动",
    "LK1": "共用联系方式", "LK2": "关联单位", "LK3": "人员循环圈", "QA1": "资质条件不达标",
}


class UnknownRuleError(InvalidInput):
    """A rule code that DESIGN.md does not define."""


# ---- the alert ---------------------------------------------------------------------------------


@dataclass
class Alert:
    """One raised alert with the DESIGN.md fields; ``to_json()`` gives the alerts.jsonl object."""

    rule: str
    score: float
    person_ids: list[str]
    unit_ids: list[str]
    period: dict[str, str | None]
    summary: str
    evidence: list[dict[str, Any]]
    project_id: str | None = None
    application_id: str | None = None
    severity: str = ""
    alert_id: str = ""
    # names used to fill the summary template ({person}, {unit}, {unit2}, {project})
    _template: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        self.score = round(max(0.0, min(1.0, self.score)), 3)
        if not self.severity:
            self.severity = severity_for(self.score)
        if not self.alert_id:
            self.alert_id = make_alert_id(self.rule, alert_key(self.rule, self.person_ids, self.unit_ids,
                                                               self.project_id, self.application_id))

    def to_json(self) -> dict[str, Any]:
        """The alerts.jsonl object (exactly the DESIGN.md fields, in that order)."""
        d = asdict(self)
        return {k: d[k] for k in (
            "alert_id", "rule", "severity", "score", "person_ids", "unit_ids", "project_id",
            "application_id", "period", "summary", "evidence")}


def severity_for(score: float) -> str:
    """high >= 0.7, medium >= 0.45, else low."""
    return "high" if score >= 0.7 else "medium" if score >= 0.45 else "low"


def alert_key(rule: str, person_ids: list[str], unit_ids: list[str], project_id: str | None,
              application_id: str | None) -> tuple[Any, ...]:
    """The DESIGN.md key of an alert (what makes two alerts the same), per rule."""
    p, u = tuple(person_ids), tuple(unit_ids)
    keys: dict[str, tuple[Any, ...]] = {
        "CL1": (p, u), "CL2": (p, u), "CL3": (p, u), "CL4": (p, project_id), "CL5": (p, u),
        "TR1": (p,), "TR2": (application_id, p), "TR3": (u,), "TR4": (p,),
        "LK1": (tuple(sorted(p)),), "LK2": (tuple(sorted(u)),), "LK3": (tuple(sorted(u)),), "QA1": (u,),
    }
    return keys[rule]


def make_alert_id(rule: str, key: tuple[Any, ...]) -> str:
    """Stable id: the rule code and a hash of the rule and its key (same data, same id)."""
    digest = hashlib.sha1(json.dumps([rule, key], ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"{rule}-{digest[:16]}"


# ---- small helpers -----------------------------------------------------------------------------


def _d(v: Any) -> date:
    """neo4j Date -> datetime.date (never None: callers check for missing dates first)."""
    return v.to_native() if hasattr(v, "to_native") else v


def _s(v: Any) -> str | None:
    """A date as ISO text, None stays None."""
    return None if v is None else _d(v).isoformat()


def mi(d: date) -> int:
    """Month index of a date."""
    return d.year * 12 + d.month - 1


def month_first(m: int) -> date:
    return date(m // 12, m % 12 + 1, 1)


def month_last(m: int) -> date:
    return month_first(m + 1) - timedelta(days=1)


def month_str(m: int) -> str:
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


def runs(months: Iterable[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive month indexes as (first, last)."""
    out: list[tuple[int, int]] = []
    for m in sorted(set(months)):
        if out and m == out[-1][1] + 1:
            out[-1] = (out[-1][0], m)
        else:
            out.append((m, m))
    return out


def _ramp(x: float, lo: float, hi: float) -> float:
    """0 at lo, 1 at hi, clipped."""
    if hi <= lo:
        return 1.0
    return max(0.0, min(1.0, (x - lo) / (hi - lo)))


def _read(source: Source, settings: Settings, query: str, **params: Any) -> list[dict[str, Any]]:
    # Rules return maps and scalars only: shallow rows (see graph.db.read).
    return read(source, settings, query, shallow=True, **params)


def _rows(driver: Source, settings: Settings, rule: str, **params: Any) -> list[dict[str, Any]]:
    return _read(driver, settings, CYPHER.load(rule.lower()), **params)


def _rec(kind: str, rid: str | None, **extra: Any) -> dict[str, Any]:
    """An evidence record: kind, the node ids it stands for, and its dates/units."""
    out: dict[str, Any] = {"kind": kind, "ids": [rid] if rid else []}
    for k, v in extra.items():
        out[k] = _s(v) if hasattr(v, "to_native") or isinstance(v, date) else v
    return out


# ---- certificate lending ------------------------------------------------------------------------


def cl1(driver: Source, settings: Settings, as_of: date, person_id: str | None) -> list[Alert]:
    """CL1: a registration with a run of >= N covered months without insurance at the unit/parent."""
    n = settings.detection.cl1_min_months
    alerts = []
    for row in _rows(driver, settings, "CL1", as_of=as_of, person_id=person_id):
        ins = [(i["unit_id"], mi(_d(i["from"])), mi(_d(i["to"]))) for i in row["ins"] if i.get("ins_id")]
        any_cov = {m for _, a, b in ins for m in range(a, b + 1)}
        by_unit: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for reg in row["regs"]:
            by_unit[reg["unit_id"]].append(reg)
        for unit_id, regs in sorted(by_unit.items()):
            payers = {unit_id} | {r["parent_id"] for r in regs if r.get("parent_id")}
            matched = {m for u, a, b in ins if u in payers for m in range(a, b + 1)}
            bad: set[int] = set()
            for reg in regs:
                for m in range(mi(_d(reg["from"])), mi(_d(reg["to"])) + 1):
                    # a retiree's month with no insurance at all is no mismatch
                    if m not in matched and (not row["retired"] or m in any_cov):
                        bad.add(m)
            long_runs = [(a, b) for a, b in runs(bad) if b - a + 1 >= n]
            if not long_runs:
                continue
            longest = max(b - a + 1 for a, b in long_runs)
            run_months = {m for a, b in long_runs for m in range(a, b + 1)}
            elsewhere = sorted({u for u, a, b in ins if u not in payers
                                and any(a <= m <= b for m in run_months)})
            evidence = [_rec("registration", r["reg_id"], person_id=row["person_id"], unit_id=unit_id,
                             cert_no=r.get("cert_no"), **{"from": r["from"], "to": r["to"]}) for r in regs]
            evidence += [{"kind": "uninsured_months", "ids": [], "unit_id": unit_id, "payer_ids": sorted(payers),
                          "from": month_str(a), "to": month_str(b), "months": b - a + 1} for a, b in long_runs]
            evidence += [_rec("insurance", i["ins_id"], unit_id=i["unit_id"], **{"from": i["from"], "to": i["to"]})
                         for i in row["ins"] if i.get("ins_id") and i["unit_id"] in elsewhere]
            score = 0.5 + 0.35 * _ramp(longest, n, 12) + (0.15 if elsewhere else 0.0)
            where = "期间在其他单位参保" if elsewhere else "期间无该单位（或其主管单位）社保缴纳记录"
            alerts.append(Alert(
                rule="CL1", score=score, person_ids=[row["person_id"]], unit_ids=[unit_id],
                period={"from": month_first(long_runs[0][0]).isoformat(), "to": month_last(long_runs[-1][1]).isoformat()},
                summary="", evidence=evidence,
                _template=f"{{person}}注册在{{unit}}，但连续{longest}个月{where}，疑似人证分离。",
            ))
    return alerts


def cl2(driver: Source, settings: Settings, as_of: date, person_id: str | None) -> list[Alert]:
    """CL2: two registrations/employments at different units overlapping >= N days."""
    rows = _rows(driver, settings, "CL2", as_of=as_of, person_id=person_id,
                 min_overlap_days=settings.detection.cl2_min_overlap_days)
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["person_id"], r["unit_a"], r["unit_b"])].append(r)
    alerts = []
    n = settings.detection.cl2_min_overlap_days
    for (pid, ua, ub), rs in sorted(groups.items()):
        days = max(r["days"] for r in rs)
        both_reg = any(r["rec_a"]["kind"] == r["rec_b"]["kind"] == "registration" for r in rs)
        seen: dict[str, dict[str, Any]] = {}
        for r in rs:
            for rec in (r["rec_a"], r["rec_b"]):
                seen[rec["id"]] = _rec(rec["kind"], rec["id"], person_id=pid, unit_id=rec["unit_id"],
                                       **{"from": rec["from"], "to": rec["to"]})
        evidence = list(seen.values()) + [
            {"kind": "overlap", "ids": [r["rec_a"]["id"], r["rec_b"]["id"]], "from": _s(r["overlap_from"]),
             "to": _s(r["overlap_to"]), "days": r["days"]} for r in rs]
        score = 0.45 + 0.35 * _ramp(days, n, 365) + (0.2 if both_reg else 0.0)
        what = "同时持有两处注册" if both_reg else "注册/任职期间重叠"
        alerts.append(Alert(
            rule="CL2", score=score, person_ids=[pid], unit_ids=[ua, ub],
            period={"from": min(_s(r["overlap_from"]) or "" for r in rs), "to": max(_s(r["overlap_to"]) or "" for r in rs)},
            summary="", evidence=evidence,
            _template=f"{{person}}在{{unit}}与{{unit2}}{what}达{days}天，疑似多处执业。",
        ))
    return alerts


def cl3(driver: Source, settings: Settings, as_of: date, person_id: str | None) -> list[Alert]:
    """CL3: registered while insured by a 机关 payer, or a civil servant with an active registration."""
    rows = _rows(driver, settings, "CL3", as_of=as_of, person_id=person_id)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["person_id"], r["unit_id"])].append(r)
    alerts = []
    for (pid, uid), rs in sorted(groups.items()):
        gov = {g["ins_id"]: g for r in rs for g in r["gov"] if g.get("ins_id")}
        cs = any(r["cs_active"] for r in rs)
        evidence = [_rec("registration", r["reg"]["reg_id"], person_id=pid, unit_id=uid,
                         cert_no=r["reg"].get("cert_no"), **{"from": r["reg"]["from"], "to": r["reg"]["to"]}) for r in rs]
        evidence += [_rec("insurance", g["ins_id"], unit_id=g["unit_id"], payer_name=g.get("payer_name"),
                          payer_type="机关", **{"from": g["from"], "to": g["to"]}) for g in gov.values()]
        if cs:
            evidence.append({"kind": "person", "ids": [pid], "civil_servant": True})
        starts = [_s(r["reg"]["from"]) or "" for r in rs]
        ends = [_s(r["reg"]["to"]) or as_of.isoformat() for r in rs]
        score = 0.75 + (0.15 if gov and cs else 0.0) + 0.1 * _ramp(len(gov), 0, 2)
        why = "同期由机关单位缴纳社保" if gov else "本人为公务员"
        alerts.append(Alert(
            rule="CL3", score=score, person_ids=[pid], unit_ids=[uid],
            period={"from": min(starts), "to": max(ends)}, summary="", evidence=evidence,
            _template=f"{{person}}注册在{{unit}}，但{why}，疑似公职人员挂证。",
        ))
    return alerts


def cl4(driver: Source, settings: Settings, as_of: date, person_id: str | None) -> list[Alert]:
    """CL4: a responsible member of a project with no employment/registration/insurance at that unit."""
    rows = _rows(driver, settings, "CL4", as_of=as_of, person_id=person_id, roles=RESPONSIBLE_ROLES)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["person_id"], r["project_id"])].append(r)
    alerts = []
    for (pid, jid), rs in sorted(groups.items()):
        r0 = rs[0]
        units = sorted({r["unit_id"] for r in rs})
        held = {h["id"]: h for r in rs for h in r["held"] if h and h.get("id")}
        evidence: list[dict[str, Any]] = [_rec("project", jid, name=r0["project_name"], start_date=r0["start_date"])]
        evidence += [{"kind": "member", "ids": [jid, pid], "role": r["role"], "unit_id": r["unit_id"]} for r in rs]
        evidence += [_rec(h["kind"], h["id"], unit_id=h["unit_id"], **{"from": h["from"], "to": h["to"]})
                     for h in held.values()]
        elsewhere = sorted({h["unit_id"] for h in held.values()} - set(units))
        score = 0.6 + (0.2 if elsewhere else 0.0) + (0.1 if any(r["role"] == "项目负责人" for r in rs) else 0.0)
        start = _s(r0["start_date"])
        roles = "、".join(sorted({r["role"] for r in rs}))
        alerts.append(Alert(
            rule="CL4", score=score, person_ids=[pid], unit_ids=units, project_id=jid,
            period={"from": start, "to": start}, summary="", evidence=evidence,
            _template=f"{{person}}以{{unit}}名义担任项目“{{project}}”{roles}，但项目开始时（{start}）与该单位无任职、注册或社保关系，疑似项目挂名。",
        ))
    return alerts


def cl5(driver: Source, settings: Settings, as_of: date, person_id: str | None) -> list[Alert]:
    """CL5: insured by two different payers in >= N same months."""
    n = settings.detection.cl5_min_shared_months
    rows = _rows(driver, settings, "CL5", as_of=as_of, person_id=person_id, min_shared_months=n)
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["person_id"], r["unit_a"], r["unit_b"])].append(r)
    alerts = []
    for (pid, ua, ub), rs in sorted(groups.items()):
        months = max(r["months"] for r in rs)
        seen: dict[str, dict[str, Any]] = {}
        for r in rs:
            for i in (r["ins_a"], r["ins_b"]):
                seen[i["id"]] = _rec("insurance", i["id"], person_id=pid, unit_id=i["unit_id"],
                                     **{"from": i["from"], "to": i["to"]})
        evidence = list(seen.values()) + [
            {"kind": "shared_months", "ids": [r["ins_a"]["id"], r["ins_b"]["id"]],
             "from": month_str(mi(_d(r["shared_from"]))), "to": month_str(mi(_d(r["shared_to"]))),
             "months": r["months"]} for r in rs]
        score = 0.45 + 0.45 * _ramp(months, n, 12)
        alerts.append(Alert(
            rule="CL5", score=score, person_ids=[pid], unit_ids=[ua, ub],
            period={"from": min(_s(r["shared_from"]) or "" for r in rs),
                    "to": max(month_last(mi(_d(r["shared_to"]))).isoformat() for r in rs)},
            summary="", evidence=evidence,
            _template=f"{{person}}同时由{{unit}}和{{unit2}}缴纳社保达{months}个月，疑似多头参保。",
        ))
    return alerts


# ---- transfers ----------------------------------------------------------------------------------


def tr1(driver: Source, settings: Settings, as_of: date, person_id: str | None) -> list[Alert]:
    """TR1: >= N moves within a window of W days (first to last)."""
    ds = settings.detection
    rows = _rows(driver, settings, "TR1", as_of=as_of, person_id=person_id,
                 min_moves=ds.tr1_min_moves, window_days=ds.tr1_window_days)
    groups: dict[str, list[list[dict[str, Any]]]] = defaultdict(list)
    for r in rows:
        groups[r["person_id"]].append(r["window"])
    alerts = []
    for pid, windows in sorted(groups.items()):
        best = max(windows, key=len)
        moves = {m["emp_id"]: m for w in windows for m in w}
        ordered = sorted(moves.values(), key=lambda m: (_d(m["date"]), m["emp_id"]))
        evidence = [{"kind": "move", "ids": [m["prev_id"], m["emp_id"]], "person_id": pid, "from_unit": m["from_unit"],
                     "to_unit": m["to_unit"], "date": _s(m["date"])} for m in ordered]
        span = (_d(best[-1]["date"]) - _d(best[0]["date"])).days
        score = 0.4 + 0.15 * (len(best) - ds.tr1_min_moves) + 0.25 * (1 - _ramp(span, 0, ds.tr1_window_days))
        units = sorted({m["to_unit"] for m in ordered} | {m["from_unit"] for m in ordered})
        alerts.append(Alert(
            rule="TR1", score=score, person_ids=[pid], unit_ids=units,
            period={"from": _s(ordered[0]["date"]), "to": _s(ordered[-1]["date"])}, summary="", evidence=evidence,
            _template=f"{{person}}在{span}天内调动{len(best)}次，调动频繁。",
        ))
    return alerts


def tr2(driver: Source, settings: Settings, as_of: date, person_id: str | None) -> list[Alert]:
    """TR2: declared staff not employed at the applicant, or employed only around the application."""
    ds = settings.detection
    rows = _rows(driver, settings, "TR2", as_of=as_of, person_id=person_id,
                 start_before_days=ds.tr2_start_before_days, end_after_days=ds.tr2_end_after_days)
    alerts = []
    for r in sorted(rows, key=lambda r: (r["application_id"], r["person_id"])):
        active = [e for e in r["active"] if e]
        evidence = [_rec("application", r["application_id"], unit_id=r["unit_id"], grade=r["grade"],
                         submitted=r["submitted"], decided=r["decided"], result=r["result"]),
                    {"kind": "declared", "ids": [r["application_id"], r["person_id"]], "role": r["role"]}]
        evidence += [_rec("employment", e["id"], person_id=r["person_id"], unit_id=r["unit_id"],
                          **{"from": e["from"], "to": e["to"]}) for e in active]
        if active:
            why = "仅在申报前后短期任职"
            score = 0.6
        else:
            why = "申报时不在该单位任职"
            score = 0.7
        if r["result"] == "批准":
            score += 0.2
        alerts.append(Alert(
            rule="TR2", score=score, person_ids=[r["person_id"]], unit_ids=[r["unit_id"]],
            application_id=r["application_id"],
            period={"from": _s(r["submitted"]), "to": _s(r["decided"]) or _s(r["submitted"])},
            summary="", evidence=evidence,
            _template=f"{{person}}被{{unit}}列入资质申报（{r['application_id']}）人员，但{why}，疑似借人申报。",
        ))
    return alerts


def tr3(driver: Source, settings: Settings, as_of: date, person_id: str | None) -> list[Alert]:
    """TR3: >= N persons moving A -> B within W days, unless a reorganization A -> B is near."""
    ds = settings.detection
    rows = _rows(driver, settings, "TR3", as_of=as_of, person_id=person_id, min_persons=ds.tr3_min_persons,
                 window_days=ds.tr3_window_days)
    alerts = []
    for r in sorted(rows, key=lambda r: (r["from_id"], r["to_id"])):
        moves = sorted(r["moves"], key=lambda m: (_d(m["date"]), m["person_id"]))
        reorgs = [g for g in r["reorgs"] if g]
        reorg_dates = [_d(g["date"]) for g in reorgs if g.get("date")]
        hit: dict[str, dict[str, Any]] = {}
        best = 0
        for i, first in enumerate(moves):
            d0 = _d(first["date"])
            window = [m for m in moves[i:] if (_d(m["date"]) - d0).days <= ds.tr3_window_days]
            persons = {m["person_id"] for m in window}
            if len(persons) < ds.tr3_min_persons:
                continue
            if any(abs((rd - d0).days) <= ds.tr3_reorg_days for rd in reorg_dates):
                continue  # a recorded reorganization explains the group move
            best = max(best, len(persons))
            for m in window:
                hit[m["emp_id"]] = m
        if not hit:
            continue
        moved = sorted(hit.values(), key=lambda m: (_d(m["date"]), m["person_id"]))
        person_ids = sorted({m["person_id"] for m in moved})
        if person_id and person_id not in person_ids:
            continue
        evidence = [{"kind": "move", "ids": [m["prev_id"], m["emp_id"]], "person_id": m["person_id"],
                     "from_unit": r["from_id"], "to_unit": r["to_id"], "date": _s(m["date"])} for m in moved]
        evidence += [_rec("reorganization", g["id"], date=g.get("date"), kind_of=g.get("kind")) for g in reorgs]
        score = 0.55 + 0.35 * _ramp(best, ds.tr3_min_persons, 15)
        alerts.append(Alert(
            rule="TR3", score=score, person_ids=person_ids, unit_ids=[r["from_id"], r["to_id"]],
            period={"from": _s(moved[0]["date"]), "to": _s(moved[-1]["date"])}, summary="", evidence=evidence,
            _template=f"{len(person_ids)}人在{ds.tr3_window_days}天内由{{unit}}集体调入{{unit2}}，且无相应的单位重组记录。",
        ))
    return alerts


def tr4(driver: Source, settings: Settings, as_of: date, person_id: str | None) -> list[Alert]:
    """TR4: A -> B -> A with a stay at B of at most N days."""
    rows = _rows(driver, settings, "TR4", as_of=as_of, person_id=person_id,
                 max_stay_days=settings.detection.tr4_max_stay_days)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[r["person_id"]].append(r)
    alerts = []
    for pid, rs in sorted(groups.items()):
        seen: dict[str, dict[str, Any]] = {}
        for r in rs:
            for e in (r["a"], r["b"], r["c"]):
                seen[e["id"]] = _rec("employment", e["id"], person_id=pid, unit_id=e["unit_id"],
                                     **{"from": e["from"], "to": e["to"]})
        evidence = list(seen.values()) + [
            {"kind": "round_trip", "ids": [r["a"]["id"], r["b"]["id"], r["c"]["id"]], "stay_days": r["stay"]}
            for r in rs]
        shortest = min(r["stay"] for r in rs)
        r0 = min(rs, key=lambda r: r["stay"])
        units = sorted({r["a"]["unit_id"] for r in rs} | {r["b"]["unit_id"] for r in rs})
        score = 0.45 + 0.35 * (1 - _ramp(shortest, 0, settings.detection.tr4_max_stay_days)) + 0.1 * (len(rs) - 1)
        alerts.append(Alert(
            rule="TR4", score=score, person_ids=[pid], unit_ids=[r0["a"]["unit_id"], r0["b"]["unit_id"]] if len(units) == 2 else units,
            period={"from": min(_s(r["a"]["from"]) or "" for r in rs), "to": max(_s(r["c"]["from"]) or "" for r in rs)},
            summary="", evidence=evidence,
            _template=f"{{person}}由{{unit}}调往{{unit2}}仅{shortest}天后又调回原单位，疑似往返调动。",
        ))
    return alerts


# ---- links --------------------------------------------------------------------------------------


def _shared_contact_alerts(rule: str, rows: list[dict[str, Any]], ids_field: str) -> list[Alert]:
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[tuple(sorted(r[ids_field]))].append(r)
    alerts = []
    for ids, rs in sorted(groups.items()):
        kinds = sorted({r["kind"] for r in rs})
        who = "person_ids" if rule == "LK1" else "unit_ids"
        evidence = [{"kind": f"shared_{r['kind']}", "ids": list(ids), "value": r["value"], who: list(ids)} for r in rs]
        score = (0.3 if rule == "LK1" else 0.35) + 0.1 * min(3, len(ids) - 2) + (0.15 if len(kinds) > 1 else 0.0)
        what = "、".join({"phone": "联系电话", "email": "电子邮箱"}[k] for k in kinds)
        if rule == "LK1":
            tmpl = f"{len(ids)}名人员（{{persons}}）使用相同的{what}。"
            alerts.append(Alert(rule=rule, score=score, person_ids=list(ids), unit_ids=[],
                                period={"from": None, "to": None}, summary="", evidence=evidence, _template=tmpl))
        else:
            tmpl = f"{len(ids)}家单位（{{units}}）使用相同的{what}，疑似关联单位。"
            alerts.append(Alert(rule=rule, score=score, person_ids=[], unit_ids=list(ids),
                                period={"from": None, "to": None}, summary="", evidence=evidence, _template=tmpl))
    return alerts


def lk1(driver: Source, settings: Settings, as_of: date, person_id: str | None) -> list[Alert]:
    """LK1: >= 2 persons sharing a normalised phone or e-mail."""
    rows = _rows(driver, settings, "LK1", person_id=person_id)
    return _shared_contact_alerts("LK1", rows, "person_ids")


def lk2(driver: Source, settings: Settings, as_of: date, person_id: str | None) -> list[Alert]:
    """LK2: >= 2 units sharing a normalised phone or e-mail."""
    rows = _rows(driver, settings, "LK2")
    return _shared_contact_alerts("LK2", rows, "unit_ids")


def _lk3_person_units(driver: Source, settings: Settings, as_of: date, person_id: str) -> list[str]:
    """The related-unit components around the person's moves between linked units (sorted ids).

    Every LK3 community naming the person as a mover contains both units of one of those moves,
    and communities are connected components, so links among these units decide the person's
    LK3 alerts exactly; most persons have no such move and cost one query.
    """
    legal_rep = settings.detection.lk3_link_legal_rep
    start = _read(driver, settings, CYPHER.load("lk3_person"), as_of=as_of, person_id=person_id,
                 legal_rep_links=legal_rep)[0]["unit_ids"]
    seen, frontier = set(start), set(start)
    while frontier:
        found = _read(driver, settings, CYPHER.load("lk3_linked"), unit_ids=sorted(frontier),
                     legal_rep_links=legal_rep)[0]["unit_ids"]
        frontier = set(found) - seen
        seen |= frontier
    return sorted(seen)


def lk3(driver: Source, settings: Settings, as_of: date, person_id: str | None) -> list[Alert]:
    """LK3: a community of >= N related units among which >= M persons moved (networkx)."""
    ds = settings.detection
    scope = None
    if person_id:
        scope = _lk3_person_units(driver, settings, as_of, person_id)
        if not scope:
            return []
    links = _rows(driver, settings, "LK3", legal_rep_links=ds.lk3_link_legal_rep, unit_ids=scope)
    communities = related_unit_communities(links, min_units=ds.lk3_min_units)
    if not communities:
        return []
    all_units = sorted({u for c in communities for u in c})
    moves = _read(driver, settings, CYPHER.load("lk3_moves"), as_of=as_of, unit_ids=all_units)
    alerts = []
    for com in communities:
        inside = [m for m in moves if m["from_id"] in com and m["to_id"] in com]
        movers = sorted({m["person_id"] for m in inside})
        if len(movers) < ds.lk3_min_persons:
            continue
        if person_id and person_id not in movers:
            continue
        units = sorted(com)
        evidence = [{"kind": "unit_link", "ids": [lk["unit_a"], lk["unit_b"]],
                     "shared": [f"{s['kind']}:{s['value']}" for s in lk["shared"]], "legal_rep": lk["legal_rep"]}
                    for lk in links if lk["unit_a"] in com and lk["unit_b"] in com]
        evidence += [{"kind": "move", "ids": [m["prev_id"], m["emp_id"]], "person_id": m["person_id"],
                      "from_unit": m["from_id"], "to_unit": m["to_id"], "date": _s(m["date"])} for m in inside]
        score = 0.55 + 0.05 * (len(movers) - ds.lk3_min_persons) + 0.05 * (len(units) - ds.lk3_min_units) \
            + (0.1 if any(lk["legal_rep"] for lk in links if lk["unit_a"] in com and lk["unit_b"] in com) else 0.0)
        dates = [_s(m["date"]) or "" for m in inside]
        alerts.append(Alert(
            rule="LK3", score=score, person_ids=movers, unit_ids=units,
            period={"from": min(dates), "to": max(dates)}, summary="", evidence=evidence,
            _template=f"{len(units)}家关联单位（{{units}}）之间有{len(movers)}名人员往来调动，疑似人员循环。",
        ))
    return alerts


# ---- qualification ------------------------------------------------------------------------------


def qa1(driver: Source, settings: Settings, as_of: date, person_id: str | None) -> list[Alert]:
    """QA1: a 甲级/乙级 unit below its staff or registered-planner minimum on as_of."""
    ds = settings.detection
    rows = _rows(driver, settings, "QA1", as_of=as_of, a_staff=ds.qa1_grade_a_staff,
                 a_registered=ds.qa1_grade_a_registered, b_staff=ds.qa1_grade_b_staff,
                 b_registered=ds.qa1_grade_b_registered)
    alerts = []
    for r in sorted(rows, key=lambda r: r["unit_id"]):
        gap = max(1 - r["staff"] / r["required_staff"], 1 - r["registered"] / r["required_registered"])
        evidence = [{"kind": "qualification", "ids": [r["unit_id"]], "grade": r["grade"], "as_of": as_of.isoformat(),
                     "staff": r["staff"], "required_staff": r["required_staff"],
                     "registered": r["registered"], "required_registered": r["required_registered"]}]
        alerts.append(Alert(
            rule="QA1", score=0.45 + 0.5 * gap, person_ids=[], unit_ids=[r["unit_id"]],
            period={"from": as_of.isoformat(), "to": as_of.isoformat()}, summary="", evidence=evidence,
            _template=(f"{{unit}}为{r['grade']}资质，截至{as_of.isoformat()}在职且参保技术人员{r['staff']}人（要求≥{r['required_staff']}），"
                       f"其中注册规划师{r['registered']}人（要求≥{r['required_registered']}），资质条件不达标。"),
        ))
    return alerts


RULE_FUNCS: dict[str, Callable[[Source, Settings, date, str | None], list[Alert]]] = {
    "CL1": cl1, "CL2": cl2, "CL3": cl3, "CL4": cl4, "CL5": cl5,
    "TR1": tr1, "TR2": tr2, "TR3": tr3, "TR4": tr4,
    "LK1": lk1, "LK2": lk2, "LK3": lk3, "QA1": qa1,
}


def parse_rules(rules: Iterable[str] | str | None) -> list[str]:
    """Rule codes in DESIGN.md order; None/empty = all; UnknownRuleError for a code not defined."""
    if rules is None:
        return list(RULES)
    if isinstance(rules, str):
        rules = [r for r in rules.replace("，", ",").split(",")]
    wanted = {r.strip().upper() for r in rules if r.strip()}
    unknown = sorted(wanted - set(RULES))
    if unknown:
        raise UnknownRuleError(f"unknown rule code(s) {', '.join(unknown)}; known: {', '.join(RULES)}")
    return [r for r in RULES if r in wanted] or list(RULES)


def _fill_summaries(driver: Driver, settings: Settings, alerts: list[Alert]) -> None:
    """Fill each summary template with person, unit and project names (one lookup for all)."""
    pids = sorted({p for a in alerts for p in a.person_ids})
    uids = sorted({u for a in alerts for u in a.unit_ids})
    jids = sorted({a.project_id for a in alerts if a.project_id})
    rows = _read(driver, settings, CYPHER.load("names"), person_ids=pids, unit_ids=uids, project_ids=jids)
    names = {r["id"]: r["name"] for r in rows if r["name"]}

    def nm(x: str) -> str:
        return f"{names[x]}（{x}）" if x in names else x

    for a in alerts:
        u = a.unit_ids
        a.summary = a._template.format(
            person=nm(a.person_ids[0]) if a.person_ids else "",
            persons="、".join(names.get(p, p) for p in a.person_ids),
            unit=nm(u[0]) if u else "", unit2=nm(u[1]) if len(u) > 1 else "",
            units="、".join(names.get(x, x) for x in u),
            project=names.get(a.project_id or "", a.project_id or ""),
        )


def run_detection(driver: Driver, settings: Settings, as_of: date, rules: list[str] | None = None,
                  person_id: str | None = None, *, timings: dict[str, float] | None = None) -> list[Alert]:
    """Run the rules (all by default) as of ``as_of``; optionally only for one person.

    Nothing is written: ``queries.alerts.store_alerts`` keeps the result in the graph.
    ``timings`` (if given) receives seconds per rule. Alerts come back sorted by rule and id.
    """
    codes = parse_rules(rules)

    def one(source: Source, code: str) -> list[Alert]:
        t0 = time.perf_counter()
        found = RULE_FUNCS[code](source, settings, as_of, person_id)
        if timings is not None:
            timings[code] = time.perf_counter() - t0
        return found

    def detect_all(source: Source) -> list[Alert]:
        return [a for code in codes if not (person_id and code in UNIT_RULES) for a in one(source, code)]

    def detect_parallel() -> list[Alert]:
        # Slowest rules first, so the last ones to start are short and the workers finish together.
        order = sorted(codes, key=lambda c: _COST_ORDER.index(c))
        with ThreadPoolExecutor(max_workers=settings.detection.workers, thread_name_prefix="detect") as pool:
            results = dict(zip(order, pool.map(lambda code: one(driver, code), order), strict=True))
        return [a for code in codes for a in results[code]]

    if person_id:
        # All rule queries of a --person run share one read transaction (one round trip each, no
        # session/transaction set-up per rule), which keeps the latency low.
        with driver.session(database=settings.neo4j_database) as session:
            alerts = session.execute_read(detect_all)
    elif settings.detection.workers > 1 and len(codes) > 1:
        alerts = detect_parallel()
    else:
        alerts = detect_all(driver)
    # one alert per id (a rule's grouping already guarantees this; keep the first defensively)
    unique: dict[str, Alert] = {}
    for a in alerts:
        unique.setdefault(a.alert_id, a)
    alerts = sorted(unique.values(), key=lambda a: (RULES.index(a.rule), a.alert_id))
    if alerts:
        _fill_summaries(driver, settings, alerts)
    return alerts
