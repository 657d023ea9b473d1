"""Disputes that set a record aside (rules, credit and portraits stop counting it; a later load of
the same row keeps it aside, a corrected row brings it back) and the inbox filled by detection runs,
the alert lifecycle and disputes (never twice for the same cause)."""

from __future__ import annotations

from datetime import date

import pytest

from graph.db import read
from queries.alerts import Decision, detect_and_store, get_alert, set_alert_status
from queries.disputes import DisputeConflict, DisputeNotFound, file_dispute, list_disputes, resolve_dispute
from queries.inbox import list_notices, mark_read
from queries.scope import Scope
from queries.users import Principal, create_user
from tagging.portrait import get_portrait
from tests.builder import Scenario
from tests.queries.conftest import AS_OF


def _users(fresh, settings, s: Scenario) -> dict[str, Principal]:
    out = {}
    for who, role, unit, province in [("hr", "unit_hr", s.u("ZJ"), None), ("insp", "inspector", None, None),
                                      ("insp_zj", "inspector", None, "浙江省"), ("insp_js", "inspector", None, "江苏省")]:
        uid, _ = create_user(fresh, settings, role, unit, who, province=province)
        out[who] = Principal(uid, role, unit, who, province)
    return out


def test_upheld_dispute_sets_the_record_aside_until_a_load_corrects_it(fresh, settings, scenario: Scenario) -> None:
    s = scenario
    s.unit("ZJ", province="浙江省")
    s.unit("JS", province="江苏省")
    s.staff("x", "ZJ", "2020-01-01")               # x: employed, registered and insured at ZJ
    s.registration("x", "JS", "2023-01-01", cert="ZC-JS")  # ... and registered at JS too (CL2 with ZJ)
    s.staff("y", "JS", "2020-01-01")
    s.load(fresh, settings)
    users = _users(fresh, settings, s)
    (cl2,) = detect_and_store(fresh, settings, AS_OF, ["CL2"])
    portrait = get_portrait(fresh, settings, s.p("x"), unmask=True)
    js = next(r for r in portrait["registrations"] if r["unit_id"] == s.u("JS"))
    emp = portrait["employments"][0]
    assert emp["record_key"] == f"{s.u('ZJ')}|2020-01-01" and s.p("x") not in js["record_key"]

    # unit HR of ZJ: its staff x only, an existing record only, one open dispute per record
    with pytest.raises(DisputeNotFound):
        file_dispute(fresh, settings, users["hr"], s.p("y"), "employment", f"{s.u('JS')}|2020-01-01", "不是本单位")
    with pytest.raises(DisputeNotFound):
        file_dispute(fresh, settings, users["hr"], s.p("x"), "registration", "no-such-key", "错误")
    d = file_dispute(fresh, settings, users["hr"], s.p("x"), "registration", js["record_key"], "该人员未在江苏单位注册")
    assert d["status"] == "open" and d["record"]["unit_id"] == s.u("JS") and s.p("x") not in str(d["record"])
    with pytest.raises(DisputeConflict):
        file_dispute(fresh, settings, users["hr"], s.p("x"), "registration", js["record_key"], "再次")
    # the queue: national and both provinces concerned (the filer's ZJ, the record's JS) see it
    for who in ("insp", "insp_zj", "insp_js"):
        assert [x["dispute_id"] for x in list_disputes(fresh, settings, Scope.of(users[who]))["data"]] == [d["dispute_id"]]
        assert list_notices(fresh, settings, users[who].user_id)["data"][0]["kind"] == "dispute_filed"

    done = resolve_dispute(fresh, settings, users["insp_js"], d["dispute_id"], "upheld", "核实：注册信息有误")
    assert done["status"] == "upheld" and done["resolved_by"] == users["insp_js"].user_id
    with pytest.raises(DisputeConflict):
        resolve_dispute(fresh, settings, users["insp"], d["dispute_id"], "rejected", "x")
    notices = list_notices(fresh, settings, users["hr"].user_id)
    assert notices["unread"] == 1 and notices["data"][0]["kind"] == "dispute_resolved"
    assert "成立" in notices["data"][0]["title"]

    # set aside: out of the portrait and the rules (the CL2 alert closes), kept as history
    assert [r["unit_id"] for r in get_portrait(fresh, settings, s.p("x"), unmask=True)["registrations"]] == [s.u("ZJ")]
    detect_and_store(fresh, settings, AS_OF, ["CL2"])
    assert get_alert(fresh, settings, cl2.alert_id)["status"] == "closed"
    aside = read(fresh, settings, "MATCH (:Person {person_id: $p})-[:HAD]->(w:Withdrawn)-[:WAS_AT]->(o) "
                 "RETURN w.kind AS kind, w.withdrawn AS why, w.withdrawn_by AS by, o.unit_id AS unit", p=s.p("x"))
    assert aside == [{"kind": "registration", "why": "set_aside", "by": d["dispute_id"], "unit": s.u("JS")}]
    assert read(fresh, settings, "MATCH (r:Registration) RETURN count(r) AS n") == [{"n": 2}]

    # the same files again: the record stays aside; a corrected row (an end date) makes it current again
    s.load(fresh, settings)
    assert len(get_portrait(fresh, settings, s.p("x"), unmask=True)["registrations"]) == 1
    s.registration("x", "JS", "2023-01-01", "2023-03-31", cert="ZC-JS")  # the same record, corrected
    s.load(fresh, settings)
    regs = get_portrait(fresh, settings, s.p("x"), unmask=True)["registrations"]
    assert sorted((r["unit_id"], r["valid_to"]) for r in regs) == sorted([(s.u("ZJ"), None), (s.u("JS"), "2023-03-31")])


def test_rejected_dispute_and_unit_hr_sees_its_outcomes(fresh, settings, scenario: Scenario) -> None:
    s = scenario
    s.unit("ZJ", province="浙江省")
    s.staff("x", "ZJ", "2020-01-01")
    s.project("P1", "ZJ", "2022-01-01")
    s.member("P1", "x", "ZJ")
    s.load(fresh, settings)
    users = _users(fresh, settings, s)
    key = get_portrait(fresh, settings, s.p("x"), unmask=True)["projects"]["items"][0]["record_key"]
    assert key == "P1|项目负责人"
    d = file_dispute(fresh, settings, users["hr"], s.p("x"), "membership", key, "该人员未参与该项目")
    assert list_disputes(fresh, settings, Scope.of(users["insp_js"]))["count"] == 0  # not 江苏's
    with pytest.raises(DisputeNotFound):
        resolve_dispute(fresh, settings, users["insp_js"], d["dispute_id"], "rejected", "x")
    resolve_dispute(fresh, settings, users["insp_zj"], d["dispute_id"], "rejected", "项目合同载明其为负责人")
    mine = list_disputes(fresh, settings, Scope.of(users["hr"]))["data"]
    assert [(x["status"], x["resolution"]) for x in mine] == [("rejected", "项目合同载明其为负责人")]
    assert get_portrait(fresh, settings, s.p("x"), unmask=True)["projects"]["count"] == 1  # not set aside


def test_inbox_from_detection_and_lifecycle(fresh, settings, scenario: Scenario) -> None:
    s = scenario
    s.unit("ZJ", province="浙江省")
    s.unit("JS", province="江苏省")
    s.registration("x", "ZJ", "2024-01-01")        # CL1 in 浙江
    s.registration("y", "JS", "2024-01-01")        # CL1 in 江苏
    s.load(fresh, settings)
    users = _users(fresh, settings, s)
    detect_and_store(fresh, settings, AS_OF, ["CL1"])
    titles = {who: [n["title"] for n in list_notices(fresh, settings, users[who].user_id)["data"]]
              for who in ("insp", "insp_zj", "hr")}
    assert titles["insp"] == ["检测新增预警 2 条（高风险 2 条）"] and titles["insp_zj"] == ["检测新增预警 1 条（高风险 1 条）"]
    assert titles["hr"] == []  # unit HR is told nothing about alerts
    detect_and_store(fresh, settings, AS_OF, ["CL1"])  # nothing new: no new notice
    assert list_notices(fresh, settings, users["insp"].user_id)["count"] == 1

    alert = next(a for a in detect_and_store(fresh, settings, AS_OF, ["CL1"]) if s.p("x") in a.person_ids)
    past = date(2000, 1, 1)
    set_alert_status(fresh, settings, alert.alert_id, Decision("assigned", "请核查", assignee=users["insp_zj"].user_id,
                                                               due=past), users["insp"])
    got = list_notices(fresh, settings, users["insp_zj"].user_id)
    assert [n["kind"] for n in got["data"]] == ["assigned", "new_alerts"] and got["unread"] == 2
    detect_and_store(fresh, settings, AS_OF, ["CL1"])
    detect_and_store(fresh, settings, AS_OF, ["CL1"])  # once per due date, however many runs
    got = list_notices(fresh, settings, users["insp_zj"].user_id)
    assert [n["kind"] for n in got["data"]].count("overdue") == 1
    assert mark_read(fresh, settings, users["insp_zj"].user_id, [got["data"][0]["notice_id"]]) == 1
    assert list_notices(fresh, settings, users["insp_zj"].user_id)["unread"] == 2
    mark_read(fresh, settings, users["insp_zj"].user_id, None)
    assert list_notices(fresh, settings, users["insp_zj"].user_id, unread_only=True)["data"] == []
