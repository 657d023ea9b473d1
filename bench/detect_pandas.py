"""A straightforward pandas implementation of the 13 detection rules over the input CSV files.

The yardstick for bench/detect.py: same rules and conventions as queries/detect.py (docs/detection.md),
no graph. Returns the set of alert keys (queries.score.key_of) so the two can be compared.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from ingest.normalize import norm_email, norm_phone
from queries.detect import alert_key

RESPONSIBLE = ["项目负责人", "技术负责人"]


def _read(folder: Path, name: str, dates: tuple[str, ...] = (), months: tuple[str, ...] = ()) -> pd.DataFrame:
    path = folder / f"{name}.csv"
    if not path.exists():
        return pd.DataFrame()
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for c in dates:
        df[c] = pd.to_datetime(df[c].replace("", None), errors="coerce")
    for c in months:
        d = pd.to_datetime(df[c].replace("", None) + "-01", errors="coerce")
        df[c] = d.dt.year * 12 + d.dt.month - 1
    return df


def _months(df: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """One row per covered month m (column "m")."""
    out = df.copy()
    out["m"] = [list(range(int(x), int(y) + 1)) if y >= x else [] for x, y in zip(out[a], out[b], strict=True)]
    return out.explode("m").dropna(subset=["m"]).astype({"m": int})


# The files the rules read, with their date and month columns.
READS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "units": ((), ()), "persons": ((), ()), "registrations": (("valid_from", "valid_to"), ()),
    "employments": (("start_date", "end_date"), ()), "social_insurance": ((), ("start_month", "end_month")),
    "projects": (("start_date",), ()), "project_members": ((), ()), "applications": (("submitted", "decided"), ()),
    "application_staff": ((), ()), "reorganizations": (("date",), ()),
}


def read_frames(folder: Path) -> dict[str, pd.DataFrame]:
    """The CSV files the rules read, parsed into frames (dates and months converted)."""
    return {name: _read(folder, name, dates=dates, months=months) for name, (dates, months) in READS.items()}


def detect(folder: Path, as_of: date, frames: dict[str, pd.DataFrame] | None = None) -> set[tuple[Any, ...]]:
    """All alert keys the rules raise on the CSVs of ``folder`` (parsed into ``frames`` if given: then only
    the rules are computed)."""
    parsed = frames if frames is not None else read_frames(folder)

    T = pd.Timestamp(as_of)
    am = as_of.year * 12 + as_of.month - 1
    keys: set[tuple[Any, ...]] = set()

    def add(rule: str, p: list[str] = (), u: list[str] = (), j: str | None = None, a: str | None = None) -> None:  # type: ignore[assignment]
        keys.add((rule, alert_key(rule, list(p), list(u), j, a)))

    units = parsed["units"].copy()
    persons = parsed["persons"].copy()
    parent = dict(zip(units["unit_id"], units["parent_unit_id"], strict=True)) if len(units) else {}
    regs = parsed["registrations"].copy()
    regs = regs[regs.valid_from <= T].copy()
    regs["to"] = regs.valid_to.fillna(T).clip(upper=T)
    emps = parsed["employments"].copy()
    emps = emps[emps.start_date <= T].copy()
    ins = parsed["social_insurance"].copy()
    ins = ins[ins.start_month <= am].copy()
    ins["to"] = ins.end_month.fillna(am).clip(upper=am)
    retired = set(persons.loc[persons.retired == "是", "person_id"])
    civil = set(persons.loc[persons.civil_servant == "是", "person_id"])

    # CL1 / CL3 over (person, unit, month) ------------------------------------------------------
    regs["mf"] = regs.valid_from.dt.year * 12 + regs.valid_from.dt.month - 1
    regs["mt"] = regs["to"].dt.year * 12 + regs["to"].dt.month - 1
    rm = _months(regs[["person_id", "unit_id", "mf", "mt"]], "mf", "mt").drop_duplicates(["person_id", "unit_id", "m"])
    im = _months(ins[["person_id", "unit_id", "payer_type", "start_month", "to"]], "start_month", "to")
    im = im.rename(columns={"unit_id": "payer"})
    rm["parent"] = rm.unit_id.map(parent).replace("", None).fillna(rm.unit_id)
    j = rm.merge(im[["person_id", "payer", "m"]], on=["person_id", "m"], how="left")
    j["ok"] = (j.payer == j.unit_id) | (j.payer == j.parent)
    j["any"] = j.payer.notna()
    g = j.groupby(["person_id", "unit_id", "m"], as_index=False).agg(ok=("ok", "max"), any=("any", "max"))
    g["bad"] = ~g.ok & ~(g.person_id.isin(retired) & ~g["any"])
    bad = g[g.bad].sort_values(["person_id", "unit_id", "m"])
    bad["run"] = bad.m - bad.groupby(["person_id", "unit_id"]).cumcount()
    runs = bad.groupby(["person_id", "unit_id", "run"]).size().reset_index(name="n")
    for r in runs[runs.n >= 3][["person_id", "unit_id"]].drop_duplicates().itertuples():
        add("CL1", [r.person_id], [r.unit_id])
    gov = rm.merge(im[im.payer_type == "机关"][["person_id", "m"]], on=["person_id", "m"])
    for r in gov[["person_id", "unit_id"]].drop_duplicates().itertuples():
        add("CL3", [r.person_id], [r.unit_id])
    active = regs[(regs.valid_to.isna() | (regs.valid_to >= T)) & regs.person_id.isin(civil)]
    for r in active[["person_id", "unit_id"]].drop_duplicates().itertuples():
        add("CL3", [r.person_id], [r.unit_id])

    # CL2 ------------------------------------------------------------------------------------------
    recs = pd.concat([
        regs[["person_id", "unit_id", "valid_from", "to"]].rename(columns={"valid_from": "s", "to": "e"}),
        emps.assign(e=emps.end_date.fillna(T).clip(upper=T))[["person_id", "unit_id", "start_date", "e"]]
        .rename(columns={"start_date": "s"}),
    ], ignore_index=True)
    pairs = recs.merge(recs, on="person_id")
    pairs = pairs[pairs.unit_id_x < pairs.unit_id_y]
    days = (pairs[["e_x", "e_y"]].min(axis=1) - pairs[["s_x", "s_y"]].max(axis=1)).dt.days + 1
    for r in pairs[days >= 31][["person_id", "unit_id_x", "unit_id_y"]].drop_duplicates().itertuples():
        add("CL2", [r.person_id], [r.unit_id_x, r.unit_id_y])

    # CL4 ------------------------------------------------------------------------------------------
    projects = parsed["projects"].copy()
    members = parsed["project_members"].copy()
    if len(members) and len(projects):
        m = members[members.role.isin(RESPONSIBLE)].merge(projects[["project_id", "start_date"]], on="project_id")
        m = m[m.start_date.notna() & (m.start_date <= T)]
        m["sm"] = m.start_date.dt.year * 12 + m.start_date.dt.month - 1
        e = m.merge(emps, on=["person_id", "unit_id"], suffixes=("", "_e"))
        e = e[(e.start_date_e <= e.start_date) & (e.end_date.isna() | (e.end_date >= e.start_date))]
        r_ = m.merge(regs, on=["person_id", "unit_id"])
        r_ = r_[(r_.valid_from <= r_.start_date) & (r_.valid_to.isna() | (r_.valid_to >= r_.start_date))]
        i_ = m.merge(ins, on=["person_id", "unit_id"])
        i_ = i_[(i_.start_month <= i_.sm) & (i_.end_month.isna() | (i_.end_month >= i_.sm))]
        ok = set(zip(e.person_id, e.project_id, strict=True)) | set(zip(r_.person_id, r_.project_id, strict=True)) \
            | set(zip(i_.person_id, i_.project_id, strict=True))
        for r in m.itertuples():
            if (r.person_id, r.project_id) not in ok:
                add("CL4", [r.person_id], [r.unit_id], j=r.project_id)

    # CL5 ------------------------------------------------------------------------------------------
    ip = ins.merge(ins, on="person_id")
    ip = ip[ip.unit_id_x < ip.unit_id_y]
    shared = ip[["to_x", "to_y"]].min(axis=1) - ip[["start_month_x", "start_month_y"]].max(axis=1) + 1
    for r in ip[shared >= 2][["person_id", "unit_id_x", "unit_id_y"]].drop_duplicates().itertuples():
        add("CL5", [r.person_id], [r.unit_id_x, r.unit_id_y])

    # moves, TR1, TR4 ------------------------------------------------------------------------------
    es = emps.sort_values(["person_id", "start_date", "unit_id"]).reset_index(drop=True)
    prev_unit = es.groupby("person_id").unit_id.shift(1)
    mv = es[prev_unit.notna() & (prev_unit != es.unit_id)].assign(from_id=prev_unit)
    mv = mv[["person_id", "from_id", "unit_id", "start_date"]].rename(columns={"unit_id": "to_id", "start_date": "d"})
    third = mv.groupby("person_id").d.shift(-2)
    for p in mv[(third - mv.d).dt.days <= 730].person_id.unique():
        add("TR1", [p])
    u1, u2 = es.groupby("person_id").unit_id.shift(-1), es.groupby("person_id").unit_id.shift(-2)
    stay = (es.groupby("person_id").end_date.shift(-1).fillna(T) - es.groupby("person_id").start_date.shift(-1)).dt.days
    for p in es[(es.unit_id == u2) & (es.unit_id != u1) & u1.notna() & (stay <= 365)].person_id.unique():
        add("TR4", [p])

    # TR2 ------------------------------------------------------------------------------------------
    apps = parsed["applications"].copy()
    staff = parsed["application_staff"].copy()
    if len(apps) and len(staff):
        st = staff.merge(apps[["application_id", "unit_id", "submitted", "decided"]], on="application_id")
        st = st[st.submitted <= T]
        x = st.merge(emps, on=["person_id", "unit_id"], how="left")
        act = (x.start_date <= x.submitted) & (x.end_date.isna() | (x.end_date >= x.submitted))
        borrowed = x.decided.notna() & (x.start_date >= x.submitted - pd.Timedelta(days=90)) & \
            x.end_date.notna() & (x.end_date <= x.decided + pd.Timedelta(days=180))
        x["genuine"] = act & ~borrowed
        gen = x.groupby(["application_id", "person_id"]).genuine.max()
        for (a, p), v in gen.items():
            if not v:
                add("TR2", [p], a=a)

    # TR3 ------------------------------------------------------------------------------------------
    reorgs = parsed["reorganizations"].copy()
    rd: dict[tuple[str, str], list[pd.Timestamp]] = defaultdict(list)
    for r in reorgs.itertuples() if len(reorgs) else []:
        rd[(r.from_unit_id, r.to_unit_id)].append(r.date)
    for (a, b), grp in mv.groupby(["from_id", "to_id"]):
        if grp.person_id.nunique() < 5:
            continue
        lst = sorted(zip(grp.d, grp.person_id, strict=True))
        for i, (d0, _p) in enumerate(lst):
            group = {p for d, p in lst[i:] if (d - d0).days <= 60}
            if len(group) >= 5 and not any(abs((x - d0).days) <= 180 for x in rd[(a, b)]):
                add("TR3", u=[a, b])
                break

    # LK1 / LK2 / LK3 -------------------------------------------------------------------------------
    def groups(df: pd.DataFrame, ident: str) -> list[list[str]]:
        out = []
        for col, fn in (("phone", norm_phone), ("email", norm_email)):
            v = df[col].map(fn)
            g = df.assign(v=v).dropna(subset=["v"]).groupby("v")[ident].apply(lambda s: sorted(set(s)))
            out += [x for x in g if len(x) >= 2]
        return out

    for g_ in groups(persons, "person_id"):
        add("LK1", g_)
    ug = groups(units, "unit_id")
    for g_ in ug:
        add("LK2", u=g_)
    graph = nx.Graph()
    reps = units[units.legal_rep.str.strip() != ""].groupby(units.legal_rep.str.strip()).unit_id.apply(list)
    for g_ in ug + [x for x in reps if len(x) >= 2]:
        nx.add_path(graph, g_)
    for comp in nx.connected_components(graph):
        if len(comp) < 3:
            continue
        movers = mv[mv.from_id.isin(comp) & mv.to_id.isin(comp)].person_id.nunique()
        if movers >= 3:
            add("LK3", u=sorted(comp))

    # QA1 ------------------------------------------------------------------------------------------
    bars = {"甲级": (40, 10), "乙级": (20, 4)}
    q = units[units.grade.isin(bars)]
    ea = emps[(emps.start_date <= T) & (emps.end_date.isna() | (emps.end_date >= T)) & emps.unit_id.isin(q.unit_id)]
    ia = ins[(ins.start_month <= am) & (ins.to >= am)]
    x = ea.merge(ia[["person_id", "unit_id"]].rename(columns={"unit_id": "payer"}), on="person_id")
    x = x[(x.payer == x.unit_id) | (x.payer == x.unit_id.map(parent))][["person_id", "unit_id"]].drop_duplicates()
    ra = regs[regs.valid_to.isna() | (regs.valid_to >= T)][["person_id", "unit_id"]].drop_duplicates().assign(reg=1)
    x = x.merge(ra, on=["person_id", "unit_id"], how="left")
    counts = x.groupby("unit_id").agg(staff=("person_id", "nunique"), registered=("reg", "sum"))
    for r in q.itertuples():
        s_, r_n = (counts.loc[r.unit_id, "staff"], counts.loc[r.unit_id, "registered"]) if r.unit_id in counts.index else (0, 0)
        need_s, need_r = bars[r.grade]
        if s_ < need_s or r_n < need_r:
            add("QA1", u=[r.unit_id])
    return keys
