"""Link rules LK1–LK3 and the qualification rule QA1: planted positives and negatives."""

from __future__ import annotations

from tests.builder import Scenario
from tests.queries.conftest import detect


def test_lk1_shared_person_contacts(fresh, settings, scenario):
    s = scenario
    s.person("a", phone="138-0013-8000")
    s.person("b", phone="+86 13800138000")
    s.person("c", email="Li.Ming@Example.com")
    s.person("d", email="li.ming@example.com")
    s.person("e", email="li.ming@example.com")
    s.person("ph1", phone="无")        # placeholders never link
    s.person("ph2", phone="无")
    s.person("z1", phone="00000000")
    s.person("z2", phone="00000000")
    s.person("zw1", name="张伟", phone="13900000001")   # namesakes, different IDs and contacts
    s.person("zw2", name="张伟", phone="13900000002")
    got = detect(fresh, settings, "LK1", s)
    assert got == {("a", "b"), ("c", "d", "e")}


def test_lk1_person_scope(fresh, settings, scenario):
    s = scenario
    s.person("a", phone="13800138000")
    s.person("b", phone="13800138000")
    s.person("c", email="x@y.cn")
    s.person("d", email="x@y.cn")
    assert detect(fresh, settings, "LK1", s, person="a") == {("a", "b")}


def test_lk2_shared_unit_contacts(fresh, settings, scenario):
    s = scenario
    s.unit("U1", phone="0571-88880000")
    s.unit("U2", phone="057188880000")
    s.unit("U3", phone="-")
    s.unit("U4", phone="-")
    s.unit("U5", email="HR@firm.cn")
    s.unit("U6", email="hr@firm.cn")
    got = detect(fresh, settings, "LK2", s)
    assert got == {("U1", "U2"), ("U5", "U6")}


def _move(s: Scenario, p: str, a: str, b: str, day: str = "2022-01-01") -> None:
    s.employment(p, a, "2020-01-01", "2021-12-31")
    s.employment(p, b, day)


def test_lk3_rings_of_related_units(fresh, settings, scenario):
    s = scenario
    # R1–R2 share a phone, R2–R3 an e-mail; three persons circulate -> alert
    s.unit("R1", phone="057100000011")
    s.unit("R2", phone="057100000011", email="ring@r.cn")
    s.unit("R3", email="ring@r.cn")
    _move(s, "r1", "R1", "R2")
    _move(s, "r2", "R2", "R3")
    _move(s, "r3", "R3", "R1")
    # same shape, only two movers -> none
    s.unit("S1", phone="057100000022")
    s.unit("S2", phone="057100000022", email="s@s.cn")
    s.unit("S3", email="s@s.cn")
    _move(s, "s1", "S1", "S2")
    _move(s, "s2", "S2", "S3")
    # two related units only -> none
    s.unit("T1", phone="057100000033")
    s.unit("T2", phone="057100000033")
    for p in ("t1", "t2", "t3"):
        _move(s, p, "T1", "T2")
    # linked by a shared legal representative plus a shared phone -> alert
    s.unit("L1", legal_rep="王建国")
    s.unit("L2", legal_rep="王建国", phone="057100000044")
    s.unit("L3", phone="057100000044")
    _move(s, "l1", "L1", "L2")
    _move(s, "l2", "L2", "L3")
    _move(s, "l3", "L3", "L1")
    # a mover from outside the ring does not count
    s.unit("X", phone="057100000055")
    _move(s, "s3", "X", "S1")
    got = detect(fresh, settings, "LK3", s)
    assert {k[3:] for k in got} == {("R1", "R2", "R3"), ("L1", "L2", "L3")}


def _staff(s: Scenario, unit: str, n: int, registered: int, *, payer: str | None = None) -> None:
    for i in range(n):
        p = f"{unit}_{i}"
        s.employment(p, unit, "2020-01-01")
        s.insurance(p, payer or unit, "2020-01")
        if i < registered:
            s.registration(p, unit, "2020-01-01")


def test_qa1_staff_minimums(fresh, settings, scenario):
    s = scenario
    s.unit("UNI", unit_type="高校", grade="无")
    s.unit("BP", grade="乙级", parent="UNI")  # a university's own firm
    for key, grade in (("A40", "甲级"), ("A39", "甲级"), ("A9R", "甲级"), ("B20", "乙级"), ("B19", "乙级"),
                       ("B3R", "乙级"), ("C", "无")):
        s.unit(key, grade=grade)
    _staff(s, "A40", 40, 10)
    _staff(s, "A39", 39, 10)
    _staff(s, "A9R", 40, 9)
    _staff(s, "B20", 20, 4)
    _staff(s, "B19", 19, 4)
    _staff(s, "B3R", 20, 3)
    _staff(s, "BP", 20, 4, payer="UNI")   # insured by the parent: counts
    # an employee who left before as_of does not count
    s.employment("gone", "B20", "2020-01-01", "2024-06-30")
    got = detect(fresh, settings, "QA1", s)
    assert got == {("A39",), ("A9R",), ("B19",), ("B3R",)}
