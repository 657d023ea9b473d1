"""Certificate-lending rules CL1–CL5: planted positives and negatives at the boundaries."""

from __future__ import annotations

from tests.queries.conftest import detect


def test_cl1_runs_of_uninsured_months(fresh, settings, scenario):
    s = scenario
    s.unit("UP", unit_type="高校", grade="无")
    s.unit("UC", parent="UP")
    # 2 uninsured months (May, June) -> no alert; 3 months (May–July) -> alert
    s.registration("two", "U1", "2024-01-01")
    s.insurance("two", "U1", "2024-01", "2024-04")
    s.insurance("two", "U1", "2024-07")
    s.registration("three", "U1", "2024-01-01")
    s.insurance("three", "U1", "2024-01", "2024-04")
    s.insurance("three", "U1", "2024-08")
    # staff of a university's own firm insured by the university: exempt
    s.registration("parent", "UC", "2023-01-01")
    s.insurance("parent", "UP", "2023-01")
    # a retiree without any insurance: exempt; a retiree insured elsewhere: not exempt
    s.person("retired", retired=True)
    s.registration("retired", "U1", "2023-01-01")
    s.person("retired_elsewhere", retired=True)
    s.registration("retired_elsewhere", "U1", "2024-01-01")
    s.insurance("retired_elsewhere", "U2", "2024-03", "2024-05")
    # open registration: Oct–Dec up to as_of = 3 months (alert); Nov–Dec = 2 months (none)
    s.registration("oct", "U1", "2024-10-01")
    s.registration("nov", "U1", "2024-11-30")
    # a closed registration covers every month it touches: Jan 31 .. Mar 1 = Jan, Feb, Mar
    s.registration("touch", "U1", "2024-01-31", "2024-03-01")
    s.registration("touch_ok", "U1", "2024-01-31", "2024-03-01")
    s.insurance("touch_ok", "U1", "2024-02", "2024-02")
    # a registration that starts after as_of is not seen
    s.registration("future", "U1", "2025-01-01")
    got = detect(fresh, settings, "CL1", s)
    assert got == {("three", "U1"), ("retired_elsewhere", "U1"), ("oct", "U1"), ("touch", "U1")}


def test_cl1_person_scope_and_evidence(fresh, settings, scenario):
    from queries.detect import run_detection
    from tests.queries.conftest import AS_OF

    s = scenario
    s.registration("x", "U1", "2024-01-01")
    s.insurance("x", "U2", "2024-01")
    s.registration("y", "U1", "2024-01-01")
    s.load(fresh, settings)
    alerts = run_detection(fresh, settings, AS_OF, ["CL1"], s.p("x"))
    assert [s.key(a) for a in alerts] == [("x", "U1")]
    a = alerts[0]
    assert a.period == {"from": "2024-01-01", "to": "2024-12-31"}
    kinds = {e["kind"] for e in a.evidence}
    assert {"registration", "uninsured_months", "insurance"} <= kinds
    assert a.severity == "high" and "人证分离" in a.summary


def test_cl2_overlap_31_days(fresh, settings, scenario):
    s = scenario
    s.employment("d31", "U1", "2024-01-01", "2024-03-31")
    s.employment("d31", "U2", "2024-03-01")
    s.employment("d30", "U1", "2024-01-01", "2024-03-30")
    s.employment("d30", "U2", "2024-03-01")
    # registration at one unit while employed at another
    s.registration("reg", "U2", "2024-01-01", "2024-07-01")
    s.employment("reg", "U3", "2024-06-01")
    # same unit twice is no concurrency; namesakes with different IDs are different persons
    s.registration("same", "U1", "2024-01-01")
    s.employment("same", "U1", "2024-01-01")
    s.person("zw1", name="张伟")
    s.person("zw2", name="张伟")
    s.employment("zw1", "U1", "2024-01-01")
    s.employment("zw2", "U2", "2024-01-01")
    got = detect(fresh, settings, "CL2", s)
    assert got == {("d31", "U1", "U2"), ("reg", "U2", "U3")}


def test_cl3_public_servants(fresh, settings, scenario):
    s = scenario
    s.unit("GOV", external=True)
    s.registration("gov_ins", "U1", "2024-01-15")
    s.insurance("gov_ins", "GOV", "2024-01", "2024-01", payer_type="机关")
    s.person("cs_active", civil_servant=True)
    s.registration("cs_active", "U1", "2020-01-01")
    s.person("cs_ended", civil_servant=True)
    s.registration("cs_ended", "U1", "2020-01-01", "2024-06-30")
    s.registration("gov_before", "U1", "2024-01-01")
    s.insurance("gov_before", "GOV", "2023-01", "2023-12", payer_type="机关")
    s.registration("firm", "U1", "2024-01-01")
    s.insurance("firm", "U2", "2024-01", payer_type="事业单位")
    got = detect(fresh, settings, "CL3", s)
    assert got == {("gov_ins", "U1"), ("cs_active", "U1")}


def test_cl4_signing_for_another_unit(fresh, settings, scenario):
    s = scenario
    s.project("J1", "U1", "2024-03-15")
    s.staff("ok", "U1", "2020-01-01")
    s.member("J1", "ok", "U1", "项目负责人")
    s.employment("other", "U2", "2020-01-01")
    s.member("J1", "other", "U1", "技术负责人")
    s.member("J1", "helper", "U1", "主要编制人员")  # not a responsible role
    s.insurance("ins_only", "U1", "2024-03", "2024-03")
    s.member("J1", "ins_only", "U1", "项目负责人")
    s.employment("left", "U1", "2020-01-01", "2024-03-14")
    s.member("J1", "left", "U1", "技术负责人")
    s.employment("left_that_day", "U1", "2020-01-01", "2024-03-15")
    s.member("J1", "left_that_day", "U1", "技术负责人")
    s.registration("reg_only", "U1", "2024-03-15")
    s.member("J1", "reg_only", "U1", "项目负责人")
    got = detect(fresh, settings, "CL4", s)
    assert got == {("other", "U1", "J1"), ("left", "U1", "J1")}


def test_cl5_shared_months(fresh, settings, scenario):
    s = scenario
    s.insurance("one", "U1", "2024-01", "2024-06")
    s.insurance("one", "U2", "2024-06", "2024-12")
    s.insurance("two", "U1", "2024-01", "2024-06")
    s.insurance("two", "U2", "2024-05")
    s.insurance("same", "U1", "2024-01", "2024-06")
    s.insurance("same", "U1", "2024-03")
    got = detect(fresh, settings, "CL5", s)
    assert got == {("two", "U1", "U2")}
