"""Precision and recall of detected alerts against the sample generator's ground_truth.jsonl.

An alert matches a planted one when the rule and the rule's DESIGN.md key agree
(queries.detect.alert_key: e.g. CL1 person + unit, TR3 [from, to], LK1 the set of persons).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from queries.detect import RULES, alert_key


@dataclass
class RuleScore:
    rule: str
    alerts: int
    truth: int
    matched: int
    missed: list[tuple[Any, ...]]
    extra: list[tuple[Any, ...]]

    @property
    def precision(self) -> float:
        return self.matched / self.alerts if self.alerts else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 1.0


def key_of(rec: dict[str, Any]) -> tuple[Any, ...]:
    """The (rule, key) of an alert or ground-truth record."""
    return (rec["rule"], alert_key(rec["rule"], list(rec.get("person_ids") or []), list(rec.get("unit_ids") or []),
                                   rec.get("project_id"), rec.get("application_id")))


def load_truth(path: Path) -> list[dict[str, Any]]:
    """Records of a ground_truth.jsonl file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_alerts(alerts: Iterable[dict[str, Any]], truth: Iterable[dict[str, Any]],
                 rules: Iterable[str] | None = None) -> dict[str, RuleScore]:
    """Precision/recall per rule (only ``rules`` if given) by key match."""
    codes = list(rules) if rules else list(RULES)
    got = {key_of(a) for a in alerts if a["rule"] in codes}
    want = {key_of(t) for t in truth if t["rule"] in codes}
    out = {}
    for code in codes:
        g = {k for k in got if k[0] == code}
        w = {k for k in want if k[0] == code}
        out[code] = RuleScore(code, len(g), len(w), len(g & w), sorted(w - g, key=str), sorted(g - w, key=str))
    return out


def format_scores(scores: dict[str, RuleScore]) -> str:
    """A small text table: rule, alerts, truth, matched, precision, recall."""
    lines = [f"{'rule':<5} {'alerts':>6} {'truth':>6} {'match':>6} {'P':>6} {'R':>6}"]
    for s in scores.values():
        lines.append(f"{s.rule:<5} {s.alerts:>6} {s.truth:>6} {s.matched:>6} {s.precision:>6.3f} {s.recall:>6.3f}")
    return "\n".join(lines)
