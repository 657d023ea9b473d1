"""End to end on the generated small sample: every planted alert found, nothing else (P = R = 1.0 per rule)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ingest.loader import load_folder
from ingest.sample import generate
from queries.alerts import detect_and_store
from queries.detect import RULES, run_detection
from queries.score import format_scores, key_of, load_truth, score_alerts


@pytest.fixture(scope="module")
def sample_alerts(db, settings, tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "small"
    generate(out, "small", 1)
    report = load_folder(db, settings, out)
    assert report.rejected == 0
    as_of = date.fromisoformat(json.loads((out / "sample_meta.json").read_text(encoding="utf-8"))["as_of"])
    alerts = [a.to_json() for a in detect_and_store(db, settings, as_of)]
    return out, as_of, alerts


def test_precision_recall_per_rule(sample_alerts):
    out, _as_of, alerts = sample_alerts
    scores = score_alerts(alerts, load_truth(out / "ground_truth.jsonl"))
    table = format_scores(scores)
    for code in RULES:
        s = scores[code]
        assert s.truth > 0, f"no planted {code} alert in the sample\n{table}"
        assert (s.precision, s.recall) == (1.0, 1.0), f"{code}: missed {s.missed}, extra {s.extra}\n{table}"


def test_hard_negatives_not_raised(sample_alerts):
    out, _as_of, alerts = sample_alerts
    path = Path(out) / "hard_negatives.jsonl"
    if not path.exists():
        pytest.skip("no hard_negatives.jsonl")
    raised = {key_of(a) for a in alerts}
    wrong = [n for n in load_truth(path) if key_of(n) in raised]
    assert not wrong, wrong


def test_person_scope_agrees_with_full_run(sample_alerts, db, settings):
    """Every person of a planted alert (LK3 movers included) gets exactly their alerts from --person."""
    _out, as_of, alerts = sample_alerts
    person_alerts = [a for a in alerts if a["person_ids"] and a["rule"] not in ("LK2", "QA1")]
    assert any(a["rule"] == "LK3" for a in person_alerts)
    for pid in sorted({p for a in person_alerts for p in a["person_ids"]}):
        scoped = {a.alert_id for a in run_detection(db, settings, as_of, person_id=pid)}
        expected = {a["alert_id"] for a in person_alerts if pid in a["person_ids"]}
        assert scoped == expected, pid


def test_parallel_run_equals_sequential_run(sample_alerts, db, settings):
    _out, as_of, alerts = sample_alerts
    one_worker = settings.model_copy(update={"detection": settings.detection.model_copy(update={"workers": 1})})
    sequential = [a.to_json() for a in run_detection(db, one_worker, as_of)]
    assert settings.detection.workers > 1
    assert sequential == alerts
