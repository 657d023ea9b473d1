"""Unit HR's home (its staff this month, registration / employment / insurance side by side) and the
unit the demo's unit HR user belongs to (a qualified planning unit with registered planners)."""

from __future__ import annotations

from datetime import date

from queries.units import first_staffed_unit, staff_month
from tests.builder import Scenario

TODAY = date(2024, 12, 15)


def test_staff_month_side_by_side(fresh, settings, scenario: Scenario) -> None:
    s = scenario
    s.unit("U")
    s.unit("V")
    s.staff("ok", "U", "2020-01-01")                       # registered, employed, insured at U
    s.registration("lent", "U", "2021-01-01")              # registered at U, employed and insured at V
    s.employment("lent", "V", "2021-01-01")
    s.insurance("lent", "V", "2021-01")
    s.staff("gone", "U", "2015-01-01", "2020-12-31")        # left: not staff any more
    s.load(fresh, settings)
    out = staff_month(fresh, settings, s.u("U"), TODAY)
    assert out["month"] == "2024-12" and out["count"] == 2
    by = {s.names[r["person_id"]]: r for r in out["data"]}
    assert by["ok"]["consistent"] and by["ok"]["issues"] == []
    assert [x["own"] for x in by["ok"]["insurance"]] == [True]
    lent = by["lent"]
    assert not lent["consistent"]
    assert lent["issues"] == ["在本单位注册但本月未由本单位参保", "在本单位注册但无本单位任职记录", "本月另有外单位注册或任职",
                              "本月另有外单位参保"]
    assert [(x["unit_id"], x["own"]) for x in lent["employments"]] == [(s.u("V"), False)]
    assert lent["registrations"][0]["record_key"].endswith(f"|{s.u('U')}|2021-01-01")


def test_demo_unit_hr_sits_in_a_planning_unit_with_registered_planners(fresh, settings, scenario: Scenario) -> None:
    s = scenario
    s.unit("A-office", unit_type="机关", grade="无")
    s.unit("B-small", grade="乙级")
    s.unit("C-big", grade="甲级")
    for k in range(6):                                     # the office employs most, registers nobody
        s.employment(f"o{k}", "A-office", "2020-01-01")
    s.staff("b1", "B-small", "2020-01-01")
    for k in range(3):
        s.staff(f"c{k}", "C-big", "2020-01-01")
    s.load(fresh, settings)
    assert first_staffed_unit(fresh, settings, TODAY) == s.u("C-big")
