"""Person-level credit points and experience score, shared by the portrait and the recommender.

Credit points (DESIGN.md credit rule, person version): base 100, minus the points of each
violation still inside its repair period (轻微 3 months, 一般 1 year, 严重 3 years after the
decision; points = the record's `points`, else 轻微 2 / 一般 5 / 严重 10), plus honour points for
awards (国家级 5, 省级 3, other 1) from the last 5 years.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

BASE_POINTS = 100
REPAIR_DAYS = {"轻微": 91, "一般": 365, "严重": 3 * 365 + 1}
DEFAULT_POINTS = {"轻微": 2, "一般": 5, "严重": 10}
HONOUR_YEARS = 5

LEVEL_W = {"省级": 1.0, "市级": 0.7, "县级": 0.5, "乡镇级": 0.3}
ROLE_W = {"项目负责人": 1.0, "技术负责人": 0.8, "主要编制人员": 0.5, "参与人员": 0.3}
EXPERT_LEVEL_W = {"国家级": 1.0, "省级": 0.5, "市级": 0.2}


def award_points(level: str | None) -> int:
    level = level or ""
    return 5 if ("国家" in level or "全国" in level) else 3 if "省" in level else 1


def credit_points(violations: list[dict[str, Any]], awards: list[dict[str, Any]], as_of: date) -> dict[str, Any]:
    """{points, minus: [...], plus: [...]} for one person on ``as_of``."""
    minus: list[dict[str, Any]] = []
    plus: list[dict[str, Any]] = []
    for v in violations:
        if not v.get("decided"):
            continue
        decided = date.fromisoformat(str(v["decided"])[:10])
        sev = v.get("severity") or "一般"
        if decided <= as_of <= decided + timedelta(days=REPAIR_DAYS.get(sev, 365)):
            pts: Any = v.get("points") if v.get("points") is not None else DEFAULT_POINTS.get(sev, 5)
            # 扣分 may be recorded as 5 or -5: it is always a deduction.
            minus.append({"violation_id": v.get("violation_id"), "severity": sev, "points": -abs(int(pts))})
    for a in awards:
        year = a.get("year")
        if year is not None and as_of.year - int(year) < HONOUR_YEARS and int(year) <= as_of.year:
            plus.append({"award_id": a.get("award_id"), "level": a.get("level"), "points": award_points(a.get("level"))})
    total = BASE_POINTS + sum(x["points"] for x in minus) + sum(x["points"] for x in plus)
    return {"points": total, "base": BASE_POINTS, "minus": minus, "plus": plus}


def credit_score(points: int) -> float:
    """Points mapped to 0..1 (70 -> 0, 100 -> 0.75, 110 or more -> 1)."""
    return max(0.0, min(1.0, (points - 70) / 40))


def experience(projects: list[dict[str, Any]], awards: list[dict[str, Any]], expert_level: str | None,
               plan_tags: set[str] | None = None, level: str | None = None) -> tuple[float, list[str]]:
    """Experience score 0..1 and its reasons (主持省级项目2项 …).

    Each project counts level weight × role weight, ×1.3 at the requested level; awards and the
    expert's own level add to it; the sum s is mapped by 1 − e^(−s/4).
    """
    total = 0.0
    led: dict[str, int] = {}
    tech: dict[str, int] = {}
    for p in projects:
        w = LEVEL_W.get(p.get("level") or "", 0.3) * ROLE_W.get(p.get("role") or "", 0.3)
        if level and p.get("level") == level:
            w *= 1.3
        total += w
        if p.get("role") == "项目负责人":
            led[p.get("level") or "其他"] = led.get(p.get("level") or "其他", 0) + 1
        elif p.get("role") == "技术负责人":
            tech[p.get("level") or "其他"] = tech.get(p.get("level") or "其他", 0) + 1
    reasons = [f"主持{lv}项目{n}项" for lv, n in sorted(led.items(), key=lambda x: -LEVEL_W.get(x[0], 0))]
    reasons += [f"技术负责{lv}项目{n}项" for lv, n in sorted(tech.items(), key=lambda x: -LEVEL_W.get(x[0], 0))]
    national = sum(1 for a in awards if award_points(a.get("level")) == 5)
    total += sum(award_points(a.get("level")) / 5 for a in awards)
    if awards:
        reasons.append(f"获奖{len(awards)}项" + (f"（国家级{national}项）" if national else ""))
    total += EXPERT_LEVEL_W.get(expert_level or "", 0.0)
    return 1 - math.exp(-total / 4), reasons
