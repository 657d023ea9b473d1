"""Transfer rules TR1–TR4: planted positives and negatives at the boundaries."""

from __future__ import annotations

from datetime import date, timedelta

from tests.builder import Scenario
from tests.queries.conftest import detect


def _career(s: Scenario, p: str, steps: list[tuple[str, str]]) -> None:
    """Consecutive employments: each ends the day before the next starts; the last is open."""
    for i, (unit, start) in enumerate(steps):
        end = ""
        if i + 1 < len(steps):
            end = (date.fromisoformat(steps[i + 1][1]) - timedelta(days=1)).isoformat()
        s.employment(p, unit, start, end)


def test_tr1_three_moves_within_730_days(fresh, settings, scenario):
    s = scenario
    # moves on 2021-01-01, 2022-01-01, 2023-01-01: 730 days first to last -> alert
    _career(s, "d730", [("U1", "2020-01-01"), ("U2", "2021-01-01"), ("U3", "2022-01-01"), ("U4", "2023-01-01")])
    # ... 2023-01-02: 731 days -> none
    _career(s, "d731", [("U1", "2020-01-01"), ("U2", "2021-01-01"), ("U3", "2022-01-01"), ("U4", "2023-01-02")])
    # a new contract at the same unit is no move: only 2 moves
    _career(s, "renew", [("U1", "2020-01-01"), ("U1", "2021-01-01"), ("U2", "2021-06-01"), ("U3", "2022-01-01")])
    # four moves where only a later window of three fits
    _career(s, "late", [("U1", "2015-01-01"), ("U2", "2016-01-01"), ("U3", "2020-01-01"),
                        ("U4", "2020-06-01"), ("U5", "2021-01-01")])
    got = detect(fresh, settings, "TR1", s)
    assert got == {("d730",) + ("U1", "U2", "U3", "U4"), ("late", "U2", "U3", "U4", "U5")}


def test_tr2_borrowed_staff(fresh, settings, scenario):
    s = scenario
    # submitted 2023-06-01, decided 2023-09-01: s − 90 = 2023-03-03, d + 180 = 2024-02-28
    s.application("AP1", "U1", "2023-06-01", "2023-09-01")
    for p in ("long", "none", "short", "early", "late_end", "open_end"):
        s.declare("AP1", p)
    s.employment("long", "U1", "2020-01-01")
    s.employment("none", "U2", "2020-01-01")
    s.employment("short", "U1", "2023-03-03", "2024-02-28")
    s.employment("early", "U1", "2023-03-02", "2024-02-28")
    s.employment("late_end", "U1", "2023-03-03", "2024-02-29")
    s.employment("open_end", "U1", "2023-03-03")
    # undecided application: only "employed on the submission day" counts
    s.application("AP2", "U1", "2023-06-01")
    s.declare("AP2", "undecided")
    s.employment("undecided", "U1", "2023-05-01", "2023-07-01")
    s.declare("AP2", "ended_before")
    s.employment("ended_before", "U1", "2020-01-01", "2023-05-31")
    got = detect(fresh, settings, "TR2", s)
    assert got == {("none", "U1", "AP1"), ("short", "U1", "AP1"), ("ended_before", "U1", "AP2")}


def _group(s: Scenario, tag: str, a: str, b: str, days: list[int], first: str = "2024-01-01") -> None:
    d0 = date.fromisoformat(first)
    for i, offset in enumerate(days):
        _career(s, f"{tag}{i}", [(a, "2020-01-01"), (b, (d0 + timedelta(days=offset)).isoformat())])


def test_tr3_group_moves(fresh, settings, scenario):
    s = scenario
    _group(s, "in60_", "A1", "B1", [0, 10, 20, 30, 60])        # 5 persons within 60 days -> alert
    _group(s, "in61_", "A2", "B2", [0, 10, 20, 30, 61])        # 61 days -> none
    _group(s, "four_", "A3", "B3", [0, 1, 2, 3])               # 4 persons -> none
    _group(s, "merged_", "A4", "B4", [0, 5, 10, 15, 20])       # merger 180 days before -> none
    s.reorg("A4", "B4", (date(2024, 1, 1) - timedelta(days=180)).isoformat())
    _group(s, "old_", "A5", "B5", [0, 5, 10, 15, 20])          # merger 181 days before -> alert
    s.reorg("A5", "B5", (date(2024, 1, 1) - timedelta(days=181)).isoformat())
    _group(s, "after_", "A6", "B6", [0, 5, 10, 15, 20])        # merger 180 days after -> none
    s.reorg("A6", "B6", (date(2024, 1, 1) + timedelta(days=180)).isoformat(), kind="划转")
    _group(s, "back_", "B1", "A1", [0, 5, 10, 15, 20])         # the other direction is its own pair
    got = detect(fresh, settings, "TR3", s)
    assert {k[-2:] for k in got} == {("A1", "B1"), ("A5", "B5"), ("B1", "A1")}
    # --person: only the person's own group move
    from queries.detect import run_detection
    from tests.queries.conftest import AS_OF

    scoped = run_detection(fresh, settings, AS_OF, ["TR3"], s.p("in60_4"))
    assert [s.key(a)[-2:] for a in scoped] == [("A1", "B1")]
    assert run_detection(fresh, settings, AS_OF, ["TR3"], s.p("in61_4")) == []


def test_tr4_round_trips(fresh, settings, scenario):
    s = scenario
    # stay at U2 from 2021-01-02 to 2022-01-02 = 365 days -> alert; 366 -> none
    s.employment("d365", "U1", "2020-01-01", "2021-01-01")
    s.employment("d365", "U2", "2021-01-02", "2022-01-02")
    s.employment("d365", "U1", "2022-01-03")
    s.employment("d366", "U1", "2020-01-01", "2021-01-01")
    s.employment("d366", "U2", "2021-01-02", "2022-01-03")
    s.employment("d366", "U1", "2022-01-04")
    _career(s, "onward", [("U1", "2020-01-01"), ("U2", "2021-01-01"), ("U3", "2021-06-01")])
    _career(s, "gap", [("U1", "2020-01-01"), ("U2", "2021-01-01"), ("U3", "2021-03-01"), ("U1", "2021-06-01")])
    got = detect(fresh, settings, "TR4", s)
    assert got == {("d365", "U1", "U2")}
