"""The alert lifecycle of DESIGN.md Casework: assignment, decisions, outcomes, the penalty's violation
record, what counts against units (credit, yellow list) and experts (conflict of interest) in each
status, the audit event in the change's transaction, and detection runs that leave decided alerts be."""

from __future__ import annotations

import json

import pytest

from graph.db import read
from queries.alerts import (
    COUNTING,
    AlertNotFoundError,
    AlertStatusError,
    AlertTransitionError,
    Decision,
    Outcome,
    detect_and_store,
    get_alert,
    set_alert_status,
)
from queries.credit import compute_credit
from queries.experts import RecommendRequest, recommend
from queries.users import Principal, create_user
from tests.builder import Scenario
from tests.queries.conftest import AS_OF

INSP = Principal("insp-1", "inspector", province="浙江省")
NATIONAL = Principal("insp-n", "inspector")


def _plant(s: Scenario) -> None:
    """x: registered at ZJ since 2024 and never insured (CL1, high); ZJ and JS are both 乙级; x is an expert."""
    s.unit("ZJ", province="浙江省")
    s.unit("JS", province="江苏省")
    s.registration("x", "ZJ", "2024-01-01")
    s.expert("E-X", "x", fields=["详细规划"])


def _alert(fresh, settings, s: Scenario) -> str:
    s.load(fresh, settings)
    alerts = detect_and_store(fresh, settings, AS_OF, ["CL1"])
    assert [(a.rule, a.severity) + s.key(a) for a in alerts] == [("CL1", "high", "x", "ZJ")]
    return alerts[0].alert_id


def _zj(fresh, settings, s: Scenario) -> dict:
    """ZJ's credit as graded now (decisions are dated today, so credit runs as of today)."""
    rows = {r["unit_id"]: r for r in compute_credit(fresh, settings, settings.today())}
    return rows[s.u("ZJ")]


def _indicator(row: dict, key: str) -> float:
    return row["factors_detail"]["indicators"][key]["value"]


def _excluded(fresh, settings) -> dict[str, str]:
    out = recommend(fresh, settings, RecommendRequest(text="详细规划", k=5))
    return {e["expert_id"]: " ".join(e["reason"]) if isinstance(e["reason"], list) else e["reason"]
            for e in out["excluded"]}


def test_counting_statuses_are_the_design_ones() -> None:
    assert COUNTING == ("open", "assigned", "confirmed", "rectification")


def test_assign_confirm_penalize_and_credit_before_after(fresh, settings, scenario: Scenario) -> None:
    s = scenario
    _plant(s)
    aid = _alert(fresh, settings, s)
    create_user(fresh, settings, "inspector", name="王核查", province="浙江")
    create_user(fresh, settings, "inspector", name="苏核查", province="江苏省")

    # Hand-computed (credit_weights.toml): ZJ has 1 registered planner, JS 0, both 乙级, no awards.
    # strength ZJ = 0.35·1 + 0.10·0.5 = 0.40; open: 失信 ZJ = 0.5·1 + 0.2·1 + 0.3·0 = 0.70;
    # points 100 = 100 (no spread: 0.5). Composite = 100·(0.35·0.40 + 0.30·0.70 + 0.20·0.5) = 45.0 → C.
    before = _zj(fresh, settings, s)
    assert (before["credit_points"], _indicator(before, "open_alerts"), before["composite"], before["grade"]) == (
        100.0, 1.0, 45.0, "C")
    assert before["yellow_list"] == "entered"  # a counting high alert
    assert "E-X" in _excluded(fresh, settings)

    # an assignment needs an assignee who can see the alert: the 江苏 inspector cannot
    with pytest.raises(AlertStatusError):
        set_alert_status(fresh, settings, aid, Decision("assigned", "请核查", assignee="苏核查"), INSP)
    due = AS_OF.replace(year=AS_OF.year + 2)
    a = set_alert_status(fresh, settings, aid, Decision("assigned", "请核查", assignee="王核查", due=due), INSP)
    assert a["status"] == "assigned" and a["due"] == due.isoformat() and a["assignee"].startswith("inspector-")
    a = set_alert_status(fresh, settings, aid, Decision("confirmed", "社保记录证实人证分离"), INSP)
    assert a["status"] == "confirmed"

    # Confirmed still counts (it did not before this lifecycle): same grade, still excluded as an expert.
    confirmed = _zj(fresh, settings, s)
    assert (_indicator(confirmed, "open_alerts"), confirmed["composite"], confirmed["yellow_list"]) == (1.0, 45.0, "on")
    assert "E-X" in _excluded(fresh, settings)

    # A penalty without points, a second outcome, or a penalty against someone else are refused.
    with pytest.raises(AlertStatusError):
        set_alert_status(fresh, settings, aid, Decision("confirmed", outcome=Outcome("penalty")), INSP)
    with pytest.raises(AlertStatusError):
        set_alert_status(fresh, settings, aid, Decision("confirmed", outcome=Outcome("penalty", points=12,
                                                                                     subject_ids=(s.u("JS"),))), INSP)
    a = set_alert_status(fresh, settings, aid, Decision("confirmed", "罚", outcome=Outcome("penalty", points=12,
                                                                                           penalty="通报批评")), INSP)
    assert a["status"] == "penalized" and a["violation_id"] == f"V-{aid}"
    v = read(fresh, settings, """
        MATCH (v:Violation {violation_id: $v})-[:FROM_ALERT]->(a:Alert)
        RETURN v {.category, .severity, .points, .authority, .penalty, .subject_type} AS v, toString(v.decided) AS decided,
               a.alert_id AS alert, COLLECT { MATCH (v)-[:AGAINST]->(n) RETURN coalesce(n.person_id, n.unit_id) AS k ORDER BY k } AS against""",
             v=f"V-{aid}")
    assert v == [{"v": {"category": "挂证（人证分离）", "severity": "严重", "points": 12, "authority": "浙江省自然资源主管部门",
                        "penalty": "通报批评", "subject_type": "单位/个人"},
                  "decided": settings.today().isoformat(), "alert": aid, "against": sorted([s.p("x"), s.u("ZJ")])}]
    with pytest.raises(AlertTransitionError) as err:
        set_alert_status(fresh, settings, aid, Decision("confirmed", outcome=Outcome("rectification", deadline=due)), INSP)
    assert err.value.details == {"status": "penalized", "allowed": []}

    # After: the alert no longer counts, the violation does. 失信 weight = 严重 6 × 挂证 1.5 × recency 1 = 9.0,
    # against ZJ and its current staff member x; points 100 − 12 = 88 (JS 100).
    # strength 0.40; 失信 ZJ = 0.5·0 + 0.2·0 + 0.3·1 = 0.30; points ZJ 0 (JS 1).
    # Composite = 100·(0.35·0.40 + 0.30·0.30 + 0.20·0) = 23.0 → D (yellow list now for the grade).
    after = _zj(fresh, settings, s)
    assert (after["credit_points"], _indicator(after, "open_alerts"), _indicator(after, "unit_violations"),
            _indicator(after, "staff_violations"), after["composite"], after["grade"]) == (88.0, 0.0, 9.0, 9.0, 23.0, "D")
    codes = read(fresh, settings, "MATCH (:Unit {unit_id: $u})-[:ON_YELLOW_LIST]->(e) WHERE e.left IS NULL "
                 "RETURN e.reason_codes AS c", u=s.u("ZJ"))
    assert codes == [{"c": ["open_high_alert"]}]  # the stay that began with the alert goes on (now for grade D)
    points = read(fresh, settings, "MATCH (p:Person {person_id: $p}) RETURN p.credit_points AS pts", p=s.p("x"))
    assert points == [{"pts": 88.0}]
    reasons = _excluded(fresh, settings)
    assert "E-X" in reasons and "预警" not in reasons["E-X"]  # excluded for the violation, not the alert

    # every transition is an alert event and an audit event
    got = get_alert(fresh, settings, aid)
    assert [(e["from_status"], e["to_status"]) for e in got["events"]] == [
        (None, "open"), ("open", "assigned"), ("assigned", "confirmed"), ("confirmed", "penalized")]
    assert got["events"][-1]["outcome"]["points"] == 12
    audit = read(fresh, settings, "MATCH (e:AuditEvent {action: 'alert_status', target: $a}) RETURN e.detail AS d "
                 "ORDER BY e.at", a=aid)
    assert [json.loads(r["d"])["to"] for r in audit] == ["assigned", "confirmed", "penalized"]

    # a later detection run keeps the penalized alert as it is
    detect_and_store(fresh, settings, AS_OF, ["CL1"])
    assert get_alert(fresh, settings, aid)["status"] == "penalized"


def test_dismiss_reopen_rectify_and_scope(fresh, settings, scenario: Scenario) -> None:
    s = scenario
    _plant(s)
    aid = _alert(fresh, settings, s)
    outsider = Principal("insp-js", "inspector", province="江苏省")
    with pytest.raises(AlertNotFoundError):
        set_alert_status(fresh, settings, aid, Decision("confirmed", "x"), outsider)

    set_alert_status(fresh, settings, aid, Decision("dismissed", "误报：已核实参保"), NATIONAL)
    assert _indicator(_zj(fresh, settings, s), "open_alerts") == 0.0  # dismissed does not count
    assert "E-X" not in _excluded(fresh, settings)
    with pytest.raises(AlertTransitionError) as err:  # dismissed → penalty is not a transition
        set_alert_status(fresh, settings, aid, Decision("confirmed", outcome=Outcome("penalty", points=3)), NATIONAL)
    assert err.value.details == {"status": "dismissed", "allowed": ["open"]}
    with pytest.raises(AlertStatusError):  # reopening needs its reason
        set_alert_status(fresh, settings, aid, Decision("open", " "), NATIONAL)
    # a detection run leaves a dismissed alert dismissed (it is raised again, not reopened)
    detect_and_store(fresh, settings, AS_OF, ["CL1"])
    assert get_alert(fresh, settings, aid)["status"] == "dismissed"

    set_alert_status(fresh, settings, aid, Decision("open", "复核发现问题"), NATIONAL)
    set_alert_status(fresh, settings, aid, Decision("confirmed", "属实"), NATIONAL)
    deadline = settings.today().replace(year=settings.today().year + 1)
    a = set_alert_status(fresh, settings, aid, Decision("confirmed", "限期整改",
                                                        outcome=Outcome("rectification", deadline=deadline)), NATIONAL)
    assert a["status"] == "rectification" and a["deadline"] == deadline.isoformat()
    assert _indicator(_zj(fresh, settings, s), "open_alerts") == 1.0  # rectification still counts
    a = set_alert_status(fresh, settings, aid, Decision("rectified", "已整改"), NATIONAL)
    assert a["status"] == "rectified"
    assert _indicator(_zj(fresh, settings, s), "open_alerts") == 0.0
    assert read(fresh, settings, "MATCH (v:Violation) RETURN count(v) AS n") == [{"n": 0}]
    with pytest.raises(AlertTransitionError):
        set_alert_status(fresh, settings, aid, Decision("open", "again"), NATIONAL)


def test_detection_closes_only_open_alerts(fresh, settings, scenario: Scenario) -> None:
    s = scenario
    _plant(s)
    s.registration("y", "ZJ", "2024-01-01")
    s.load(fresh, settings)
    alerts = {s.key(a)[0]: a.alert_id for a in detect_and_store(fresh, settings, AS_OF, ["CL1"])}
    user_id, _ = create_user(fresh, settings, "inspector", name="核查员")
    set_alert_status(fresh, settings, alerts["x"], Decision("assigned", "", assignee=user_id), NATIONAL)
    # both get insured: neither condition holds any more; the open one closes, the assigned one stays
    s.insurance("x", "ZJ", "2024-01")
    s.insurance("y", "ZJ", "2024-01")
    s.load(fresh, settings)
    detect_and_store(fresh, settings, AS_OF, ["CL1"])
    assert get_alert(fresh, settings, alerts["y"])["status"] == "closed"
    assert get_alert(fresh, settings, alerts["x"])["status"] == "assigned"
