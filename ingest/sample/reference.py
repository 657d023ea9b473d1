"""A small, literal reference implementation of the 13 detection rules of DESIGN.md, straight from the
CSV rows the generator wrote. It is the yardstick for the sample's ground truth (not the product's
detector, which is Cypher in queries/). Interpretations: docs/rules-interpretation.md.
Phones and e-mails are normalised by the loader's own functions (ingest/normalize.py), as the graph
holds them: LK1/LK2 compare those values, and their normalisation is tested on its own.

Alert keys (what two implementations must agree on), see `alert_key`:
CL1 CL3 (person, unit); CL2 CL5 (person, two units sorted); CL4 (person, project); TR1 TR4 (person);
TR2 (application, person); TR3 (from, to); LK1 (persons sorted); LK2 LK3 (units sorted); QA1 (unit).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingest.normalize import norm_email, norm_phone

RESPONSIBLE = {"项目负责人", "技术负责人"}

Key = tuple[str, tuple[str, ...], tuple[str, ...], str | None, str | None]


@dataclass(frozen=True)
class Params:
    """Rule parameters (DESIGN.md defaults)."""

    cl1_months: int = 3
    cl2_days: int = 31
    cl5_months: int = 2
    tr1_moves: int = 3
    tr1_days: int = 730
    tr2_before: int = 90
    tr2_after: int = 180
    tr3_persons: int = 5
    tr3_days: int = 60
    tr3_reorg_days: int = 180
    tr4_days: int = 365
    lk3_units: int = 3
    lk3_persons: int = 3
    qa1: tuple[tuple[str, int, int], ...] = (("甲级", 40, 10), ("乙级", 20, 4))


def alert_key(rule: str, person_ids: Iterable[str] = (), unit_ids: Iterable[str] = (),
              project_id: str | None = None, application_id: str | None = None) -> Key:
    """The identity of an alert: only the fields that DESIGN.md names as the rule's key."""
    p, u = list(person_ids), list(unit_ids)
    if rule in ("CL1", "CL3"):
        return (rule, tuple(p), tuple(u), None, None)
    if rule in ("CL2", "CL5"):
        return (rule, tuple(p), tuple(sorted(u)), None, None)
    if rule == "CL4":
        return (rule, tuple(p), (), project_id, None)
    if rule in ("TR1", "TR4"):
        return (rule, tuple(p), (), None, None)
    if rule == "TR2":
        return (rule, tuple(p), (), None, application_id)
    if rule == "TR3":
        return (rule, (), tuple(u), None, None)
    if rule == "LK1":
        return (rule, tuple(sorted(p)), (), None, None)
    if rule in ("LK2", "LK3", "QA1"):
        return (rule, (), tuple(sorted(u)), None, None)
    raise ValueError(f"unknown rule {rule}")


def key_of(alert: dict) -> Key:
    """`alert_key` of a JSON alert / ground-truth line."""
    return alert_key(alert["rule"], alert.get("person_ids") or [], alert.get("unit_ids") or [],
                     alert.get("project_id"), alert.get("application_id"))


def _d(s: str) -> date:
    return date.fromisoformat(s)


def _od(s: str) -> date | None:
    return date.fromisoformat(s) if s else None


def _m(s: str) -> int:
    y, m = s.split("-")
    return int(y) * 12 + int(m) - 1


def _om(s: str) -> int | None:
    return _m(s) if s else None


def _mi(d: date) -> int:
    return d.year * 12 + d.month - 1


def _rows(folder: Path, name: str) -> Iterator[dict[str, str]]:
    """Rows of one file, streamed (national samples have millions of rows)."""
    path = folder / f"{name}.csv"
    if not path.exists():
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)


def evaluate(folder: Path, as_of: date, params: Params = Params()) -> dict[Key, str]:
    """All alerts the rules raise on the CSVs in `folder`: key -> short reason."""
    P = params
    asof_m = _mi(as_of)
    units = {r["unit_id"]: r for r in _rows(folder, "units")}
    persons = {r["person_id"]: {k: r[k] for k in ("phone", "email", "retired", "civil_servant")}
               for r in _rows(folder, "persons")}
    parent = {u: r["parent_unit_id"] for u, r in units.items() if r["parent_unit_id"]}
    regs: dict[str, list[tuple[str, date, date]]] = defaultdict(list)
    for r in _rows(folder, "registrations"):
        regs[r["person_id"]].append((r["unit_id"], _d(r["valid_from"]), min(_od(r["valid_to"]) or as_of, as_of)))
    emps: dict[str, list[tuple[str, date, date | None]]] = defaultdict(list)
    for r in _rows(folder, "employments"):
        emps[r["person_id"]].append((r["unit_id"], _d(r["start_date"]), _od(r["end_date"])))
    ins: dict[str, list[tuple[str, str, int, int]]] = defaultdict(list)
    for r in _rows(folder, "social_insurance"):
        end_m = _om(r["end_month"])
        ins[r["person_id"]].append((r["unit_id"], r["payer_type"], _m(r["start_month"]),
                                    min(end_m if end_m is not None else asof_m, asof_m)))
    out: dict[Key, str] = {}

    def add(key: Key, why: str) -> None:
        out.setdefault(key, why)

    # CL1 / CL3 -------------------------------------------------------------
    for p, plist in regs.items():
        retired = persons.get(p, {}).get("retired") == "是"
        for u, start, end in plist:
            if start > as_of:
                continue
            ok_payers = {u, parent.get(u, u)}
            run = best = 0
            cl3 = False
            for m in range(_mi(start), _mi(end) + 1):
                covering = [(payer, ptype) for payer, ptype, s, e in ins[p] if s <= m <= e]
                if any(ptype == "机关" for _payer, ptype in covering):
                    cl3 = True
                matched = any(payer in ok_payers for payer, _t in covering)
                exempt = retired and not covering
                run = 0 if matched or exempt else run + 1
                best = max(best, run)
            if best >= P.cl1_months:
                add(alert_key("CL1", [p], [u]), f"{best} months without insurance at the unit")
            civil = persons.get(p, {}).get("civil_servant") == "是"
            if cl3 or (civil and start <= as_of <= end):
                add(alert_key("CL3", [p], [u]), "public servant registered")
    # CL2 -------------------------------------------------------------------
    for p in set(regs) | set(emps):
        recs = [(u, s, e) for u, s, e in regs[p]] + [(u, s, min(e or as_of, as_of)) for u, s, e in emps[p]]
        for i in range(len(recs)):
            for j in range(i + 1, len(recs)):
                a, b = recs[i], recs[j]
                if a[0] != b[0] and (min(a[2], b[2]) - max(a[1], b[1])).days + 1 >= P.cl2_days:
                    add(alert_key("CL2", [p], [a[0], b[0]]), "overlap")
    # CL4 -------------------------------------------------------------------
    projects = {r["project_id"]: {"start_date": r["start_date"]} for r in _rows(folder, "projects")}
    for r in _rows(folder, "project_members"):
        if r["role"] not in RESPONSIBLE:
            continue
        proj = projects.get(r["project_id"])
        if not proj or not proj["start_date"]:
            continue
        d, p, x = _d(proj["start_date"]), r["person_id"], r["unit_id"]
        active = any(u == x and s <= d and (e is None or d <= e) for u, s, e in emps[p]) or \
            any(u == x and s <= d <= e for u, s, e in regs[p]) or \
            any(payer == x and s <= _mi(d) <= e for payer, _t, s, e in ins[p])
        if not active:
            add(alert_key("CL4", [p], [x], project_id=r["project_id"]), "not at the unit on start")
    # CL5 -------------------------------------------------------------------
    for p, ilist in ins.items():
        for i in range(len(ilist)):
            for j in range(i + 1, len(ilist)):
                i1, i2 = ilist[i], ilist[j]
                if i1[0] != i2[0] and min(i1[3], i2[3]) - max(i1[2], i2[2]) + 1 >= P.cl5_months:
                    add(alert_key("CL5", [p], [i1[0], i2[0]]), "two payers")
    # Moves, TR1, TR4 -------------------------------------------------------
    moves: list[tuple[str, str, date, str]] = []  # from, to, date, person
    for p, elist in emps.items():
        ordered = sorted(elist, key=lambda e: (e[1], e[0]))
        dates = []
        for prev, cur in zip(ordered, ordered[1:], strict=False):
            if prev[0] != cur[0]:
                moves.append((prev[0], cur[0], cur[1], p))
                dates.append(cur[1])
        for i in range(len(dates) - P.tr1_moves + 1):
            if (dates[i + P.tr1_moves - 1] - dates[i]).days <= P.tr1_days:
                add(alert_key("TR1", [p]), "frequent moves")
        for e1, e2, e3 in zip(ordered, ordered[1:], ordered[2:], strict=False):
            if e1[0] == e3[0] != e2[0] and ((e2[2] or as_of) - e2[1]).days <= P.tr4_days:
                add(alert_key("TR4", [p]), "round trip")
    # TR2 -------------------------------------------------------------------
    apps = {r["application_id"]: r for r in _rows(folder, "applications")}
    for r in _rows(folder, "application_staff"):
        app = apps.get(r["application_id"])
        if not app:
            continue
        u, s, dd, p = app["unit_id"], _d(app["submitted"]), _od(app["decided"]), r["person_id"]
        genuine = False
        for eu, es, ee in emps[p]:
            if eu == u and es <= s and (ee is None or s <= ee):
                borrowed = dd is not None and (es - s).days >= -P.tr2_before and ee is not None and (ee - dd).days <= P.tr2_after
                genuine = genuine or not borrowed
        if not genuine:
            add(alert_key("TR2", [p], application_id=r["application_id"]), "borrowed staff")
    # TR3 -------------------------------------------------------------------
    reorgs: dict[tuple[str, str], list[date]] = defaultdict(list)
    for r in _rows(folder, "reorganizations"):
        reorgs[(r["from_unit_id"], r["to_unit_id"])].append(_d(r["date"]))
    by_pair: dict[tuple[str, str], list[tuple[date, str]]] = defaultdict(list)
    for fa, fb, d, p in moves:
        by_pair[(fa, fb)].append((d, p))
    for (fa, fb), lst in by_pair.items():
        lst.sort()
        for i, (d0, _p) in enumerate(lst):
            group = {p for d, p in lst[i:] if (d - d0).days <= P.tr3_days}
            if len(group) >= P.tr3_persons and not any(abs((rd - d0).days) <= P.tr3_reorg_days for rd in reorgs[(fa, fb)]):
                add(alert_key("TR3", unit_ids=[fa, fb]), "group move")
    # LK1 / LK2 -------------------------------------------------------------
    def shared(rows: dict[str, dict[str, str]]) -> list[set[str]]:
        groups: dict[tuple[str, str], set[str]] = defaultdict(set)
        for ident, r in rows.items():
            ph, em = norm_phone(r["phone"]), norm_email(r["email"])
            if ph:
                groups[("p", ph)].add(ident)
            if em:
                groups[("e", em)].add(ident)
        return [g for g in groups.values() if len(g) >= 2]

    for g in shared(persons):
        add(alert_key("LK1", sorted(g)), "shared contact")
    unit_groups = shared(units)
    for g in unit_groups:
        add(alert_key("LK2", unit_ids=sorted(g)), "shared contact")
    # LK3 -------------------------------------------------------------------
    adj: dict[str, set[str]] = defaultdict(set)
    reps: dict[str, set[str]] = defaultdict(set)
    for u, r in units.items():
        if r["legal_rep"].strip():
            reps[r["legal_rep"].strip()].add(u)
    for g in unit_groups + [g for g in reps.values() if len(g) >= 2]:
        first = sorted(g)[0]
        for u in g:
            if u != first:
                adj[first].add(u)
                adj[u].add(first)
    seen: set[str] = set()
    for root in sorted(adj):
        if root in seen:
            continue
        comp: set[str] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if node not in comp:
                comp.add(node)
                stack.extend(adj[node] - comp)
        seen |= comp
        movers = {p for fa, fb, _d2, p in moves if fa in comp and fb in comp}
        if len(comp) >= P.lk3_units and len(movers) >= P.lk3_persons:
            add(alert_key("LK3", unit_ids=sorted(comp)), "ring")
    # QA1 -------------------------------------------------------------------
    bars = {g: (s, r) for g, s, r in P.qa1}
    staff: dict[str, set[str]] = defaultdict(set)
    for p, elist in emps.items():
        for u, s, e in elist:
            if u in units and units[u]["grade"] in bars and s <= as_of and (e is None or as_of <= e):
                payers = {u, parent.get(u, u)}
                if any(payer in payers and s2 <= asof_m <= e2 for payer, _t, s2, e2 in ins[p]):
                    staff[u].add(p)
    for u, r in units.items():
        if r["grade"] not in bars:
            continue
        need_s, need_r = bars[r["grade"]]
        registered = {p for p in staff[u] if any(ru == u and s <= as_of <= e for ru, s, e in regs[p])}
        if len(staff[u]) < need_s or len(registered) < need_r:
            add(alert_key("QA1", unit_ids=[u]), f"{len(staff[u])} staff, {len(registered)} registered")
    return out
