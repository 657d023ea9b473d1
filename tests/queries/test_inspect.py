"""双随机 draws: determinism, risk weighting, conflict-of-interest avoidance, the published list."""

from __future__ import annotations

import csv
import json
import random
import subprocess
from datetime import date
from pathlib import Path

import pytest
from neo4j import Driver

from graph.settings import Settings
from queries.credit import compute_credit
from queries.inspect import Candidate, Inspector, assign_inspectors, draw, pick_units, read_roster, write_draw
from tests.builder import Scenario

AS_OF = date(2026, 6, 30)
D = date
ROSTER = [
    # inspector_id, name, person_id, unit_id (their office), province
    ("JC001", "甲", "R0", "GOV1", "浙江省"),   # employed at T01 now → never T01
    ("JC002", "乙", "R1", "GOV1", "浙江省"),   # insured by T02 until two years ago → never T02
    ("JC003", "丙", "R2", "GOV2", "江苏省"),   # registered at T07, ended four years ago → may inspect T07
    ("JC004", "丁", "R3", "T08", "江苏省"),    # works at T08 (roster unit) → never T08
    ("JC005", "戊", "", "GOV2", "江苏省"),     # no person record
    ("JC006", "己", "R5", "GOV3", "上海市"),   # employed at T10 until 2020 (over 3 years ago) → may inspect T10
    ("JC007", "庚", "R6", "GOV3", "上海市"),   # employed at T09 until 2024 (within 3 years) → never T09
]
CONFLICTS = {("JC001", "T01"), ("JC002", "T02"), ("JC004", "T08"), ("JC007", "T09")}


@pytest.fixture(scope="module")
def s(db: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    s = Scenario(tmp_path_factory.mktemp("inspect"))
    for i in range(12):
        s.unit(f"T{i:02d}", name=f"单位{i}", province="浙江省" if i < 6 else "江苏省", grade="乙级")
    for i in range(8):
        s.person(f"R{i}", name=f"检查员{i}")
    s.employment("R0", "T01", D(2020, 1, 1))
    s.employment("R6", "T09", D(2018, 1, 1), D(2024, 3, 1))
    s.employment("R5", "T10", D(2010, 1, 1), D(2020, 1, 1))
    s.insurance("R1", "T02", "2018-01", "2024-06", payer_name="单位2", province="浙江省")
    s.registration("R2", "T07", D(2015, 1, 1), D(2022, 6, 1), cert="ZC1")
    s.violation("V1", "T03", subject_type="单位", severity="严重", decided=D(2026, 1, 1), points=50)  # credit grade D
    s.alert("CL1", alert_id="X1", score=0.9, units=["T05"], summary="人证分离")
    s.load(db, settings)
    return s


@pytest.fixture(scope="module")
def graph(s: Scenario, db: Driver, settings: Settings) -> Driver:
    grades = {s.names[r["unit_id"]]: r["grade"] for r in compute_credit(db, settings, AS_OF)}
    assert grades["T03"] == "D" and grades["T00"] != "D"
    return db


@pytest.fixture()
def roster_file(tmp_path: Path, s: Scenario) -> Path:
    p = tmp_path / "inspectors.csv"
    with p.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["inspector_id", "name", "person_id", "unit_id", "province"])
        w.writerows((i, name, s.pids[who] if who else "", s.uids.get(u, u), prov) for i, name, who, u, prov in ROSTER)
    return p


def test_read_roster(roster_file: Path) -> None:
    r = read_roster(roster_file)
    assert [i.inspector_id for i in r] == [x[0] for x in ROSTER]
    assert r[4].person_id == ""


def test_pick_units_pure() -> None:
    cands = [Candidate(f"U{i:03d}", "", "P") for i in range(100)]
    weights = {c.unit_id: 1.0 for c in cands} | {"U042": 1e9}
    for seed in range(20):
        picked = pick_units(random.Random(seed), cands, weights, 10, 0.5)
        assert len(picked) == 10 and len({c.unit_id for c, _ in picked}) == 10
        assert ("U042", "risk") in [(c.unit_id, pool) for c, pool in picked]
        assert [pool for _, pool in picked].count("risk") == 5
    a = pick_units(random.Random(7), cands, weights, 10, 0.5)
    b = pick_units(random.Random(7), list(reversed(cands)), weights, 10, 0.5)
    assert a == b  # input order does not matter
    assert len(pick_units(random.Random(1), cands[:3], weights, 10, 0.5)) == 3


def test_assign_prefers_other_province() -> None:
    unit = Candidate("U1", "", "浙江省")
    roster = [Inspector("A", "", "", "G", "浙江省"), Inspector("B", "", "", "G", "江苏省"),
              Inspector("C", "", "", "G", "上海市"), Inspector("D", "", "", "G", "浙江省")]
    for seed in range(10):
        got, note = assign_inspectors(random.Random(seed), unit, roster, set(), 2)
        assert {i.inspector_id for i in got} == {"B", "C"} and note == ""
    # The work is spread: two units in a row get four different inspectors while others are free.
    load: dict[str, int] = {}
    first, _ = assign_inspectors(random.Random(3), Candidate("U2", "", "北京市"), roster, set(), 2, load)
    second, _ = assign_inspectors(random.Random(3), Candidate("U3", "", "北京市"), roster, set(), 2, load)
    assert {i.inspector_id for i in first} | {i.inspector_id for i in second} == {"A", "B", "C", "D"}
    assert load == {"A": 1, "B": 1, "C": 1, "D": 1}
    got, note = assign_inspectors(random.Random(0), unit, roster[:2], set(), 2)
    assert {i.inspector_id for i in got} == {"A", "B"} and "本省" in note
    got, note = assign_inspectors(random.Random(0), unit, roster[:1], set(), 2)
    assert len(got) == 1 and "不足" in note


def test_draw_deterministic_and_conflict_free(graph: Driver, settings: Settings, roster_file: Path, s: Scenario) -> None:
    roster = read_roster(roster_file)
    a = draw(graph, settings, 12, 2026, roster=roster, as_of=AS_OF)
    b = draw(graph, settings, 12, 2026, roster=roster_file, as_of=AS_OF)
    assert a.rows() == b.rows() and a.inputs_hash == b.inputs_hash
    assert len(a.units) == 12 and len({u.unit_id for u in a.units}) == 12
    for u in a.units:
        ids = {i.inspector_id for i in u.inspectors}
        assert len(ids) == 2
        assert not any((i, s.names[u.unit_id]) in CONFLICTS for i in ids), (u.unit_id, ids)
    by_unit = {s.names[u.unit_id]: u for u in a.units}
    assert by_unit["T03"].weight > by_unit["T00"].weight and by_unit["T05"].weight > by_unit["T00"].weight
    # Other seeds give other draws, and never a conflicted pair.
    orders = set()
    for seed in range(15):
        r = draw(graph, settings, 4, seed, roster=roster, as_of=AS_OF)
        orders.add(tuple(u.unit_id for u in r.units))
        for u in r.units:
            assert not any((i.inspector_id, s.names[u.unit_id]) in CONFLICTS for i in u.inspectors)
    assert len(orders) > 5
    # JC006's employment at T10 ended in 2020, more than 3 years ago: allowed (picked for T10 at some seed).
    seen = set()
    for seed in range(60):
        r = draw(graph, settings, 12, seed, roster=roster, as_of=AS_OF)
        seen |= {(i.inspector_id, s.names[u.unit_id]) for u in r.units for i in u.inspectors}
    assert ("JC006", "T10") in seen
    assert not seen & CONFLICTS


def test_draw_province_and_hash_changes(graph: Driver, settings: Settings, roster_file: Path) -> None:
    r = draw(graph, settings, 3, 1, province="江苏省", roster=roster_file, as_of=AS_OF)
    assert {u.province for u in r.units} == {"江苏省"} and r.candidates == 6
    r2 = draw(graph, settings, 3, 1, province="江苏省", roster=roster_file, as_of=D(2026, 7, 1))
    assert r2.inputs_hash != r.inputs_hash  # as_of is an input


def test_write_and_cli(graph: Driver, settings: Settings, roster_file: Path, cli_env: dict[str, str],
                       tmp_path: Path, s: Scenario) -> None:
    res = draw(graph, settings, 5, 99, roster=roster_file, as_of=AS_OF)
    meta = write_draw(res, tmp_path / "api.csv")
    m = json.loads(meta.read_text(encoding="utf-8"))
    assert m["seed"] == 99 and m["inputs_hash"] == res.inputs_hash and m["as_of"] == "2026-06-30"
    outs = []
    for k in range(2):
        out = tmp_path / f"list{k}.csv"
        cmd = ["plantalent", "inspect", "draw", "--n", "5", "--seed", "99", "--roster", str(roster_file),
               "--out", str(out), "--as-of", "2026-06-30"]
        p = subprocess.run(cmd, env=cli_env, capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr
        outs.append(out.read_text(encoding="utf-8-sig"))
    assert outs[0] == outs[1] == (tmp_path / "api.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(outs[0].splitlines()))
    assert len(rows) == 5 and rows[0]["seed"] == "99" and rows[0]["inputs_hash"] == res.inputs_hash
    assert {"unit_id", "unit_name", "pool", "inspector_1_id", "inspector_2_name"} <= set(rows[0])
    assert not any(pid in v for row in rows for v in row.values() for pid in s.pids.values())  # no person ids published
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\n1,x\n", encoding="utf-8")
    p = subprocess.run(["plantalent", "inspect", "draw", "--n", "2", "--seed", "1", "--roster", str(bad)],
                       env=cli_env, capture_output=True, text=True, timeout=300)
    # One unwrapped line names the file and the reason, however long the file's path.
    assert p.returncode == 2
    assert any(f"{bad}: missing column(s) inspector_id, person_id, unit_id, province" in line
               for line in p.stderr.splitlines()), p.stderr
