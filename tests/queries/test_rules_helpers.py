"""Pure helpers of the detection package (no database): ids, keys, months, rule codes, scoring, LK3 communities."""

from __future__ import annotations

from datetime import date

import pytest

from queries.analytics import related_unit_communities
from queries.detect import (
    _COST_ORDER,
    RULES,
    Alert,
    UnknownRuleError,
    alert_key,
    make_alert_id,
    mi,
    month_last,
    parse_rules,
    runs,
    severity_for,
)
from queries.score import score_alerts


def test_alert_id_is_stable_and_key_based():
    a = Alert(rule="CL2", score=0.5, person_ids=["P"], unit_ids=["U1", "U2"], period={"from": None, "to": None},
              summary="", evidence=[])
    b = Alert(rule="CL2", score=0.9, person_ids=["P"], unit_ids=["U1", "U2"], period={"from": "x", "to": "y"},
              summary="other", evidence=[{"kind": "overlap"}])
    assert a.alert_id == b.alert_id == make_alert_id("CL2", (("P",), ("U1", "U2")))
    assert a.alert_id.startswith("CL2-") and len(a.alert_id) == 20
    lk = alert_key("LK1", ["b", "a"], [], None, None)
    assert lk == (("a", "b"),)
    assert list(a.to_json()) == ["alert_id", "rule", "severity", "score", "person_ids", "unit_ids", "project_id",
                                 "application_id", "period", "summary", "evidence"]


def test_severity_and_score_clipping():
    assert [severity_for(x) for x in (0.2, 0.45, 0.69, 0.7, 1.0)] == ["low", "medium", "medium", "high", "high"]
    a = Alert(rule="QA1", score=1.7, person_ids=[], unit_ids=["U"], period={}, summary="", evidence=[])
    assert a.score == 1.0 and a.severity == "high"


def test_months_and_runs():
    assert mi(date(2024, 1, 31)) + 1 == mi(date(2024, 2, 1))
    assert month_last(mi(date(2024, 2, 10))) == date(2024, 2, 29)
    assert runs([5, 1, 2, 3, 7, 8]) == [(1, 3), (5, 5), (7, 8)]


def test_parse_rules():
    assert parse_rules(None) == list(RULES)
    assert parse_rules("tr2, cl1") == ["CL1", "TR2"]
    with pytest.raises(UnknownRuleError):
        parse_rules("CL1,XX9")


def test_communities_are_components_of_three_or_more():
    links = [{"unit_a": "A", "unit_b": "B", "shared": [{"kind": "phone", "value": "1"}], "legal_rep": None},
             {"unit_a": "B", "unit_b": "C", "shared": [{"kind": "legal_rep", "value": "王"}], "legal_rep": "王"},
             {"unit_a": "D", "unit_b": "E", "shared": [{"kind": "email", "value": "x"}], "legal_rep": None}]
    assert related_unit_communities(links) == [frozenset({"A", "B", "C"})]


def test_score_alerts_by_key():
    truth = [{"rule": "TR3", "person_ids": [], "unit_ids": ["A", "B"], "project_id": None, "application_id": None}]
    got = [{"rule": "TR3", "person_ids": ["p1", "p2"], "unit_ids": ["A", "B"], "project_id": None, "application_id": None},
           {"rule": "TR3", "person_ids": [], "unit_ids": ["B", "A"], "project_id": None, "application_id": None}]
    s = score_alerts(got, truth, rules=["TR3"])["TR3"]
    assert (s.matched, s.precision, s.recall) == (1, 0.5, 1.0)


def test_parallel_run_knows_the_cost_of_every_rule():
    assert sorted(_COST_ORDER) == sorted(RULES)
