"""Credit grading of planning units (信用分级评价, seed paper §3.1.1) and the yellow list (黄名单).

Four dimensions per unit — 综合实力 strength, 荣誉 honours, 失信 dishonesty, 信用积分 credit points.
Indicators are aggregated per unit by a few set-based Cypher queries (queries/credit/*.cypher),
then min–max normalised across all units (级差变换) and weight-summed in numpy into dimension
indices, a composite index (0–100) and a grade A/B/C/D, with the factors that drove it. Weights,
thresholds and repair periods live in queries/credit_weights.toml (or settings.credit_weights_file).

Orientation: every index reads "higher = better credit"; the 失信 dimension is built from reversed
negative indicators, so 100 there means "no dishonesty on record".
"""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from neo4j import Driver

from graph.cypher import CypherFiles
from graph.db import batched, read, write
from graph.errors import InvalidInput
from graph.settings import Settings
from graph.version import bump
from queries.alerts import COUNTING

CYPHER = CypherFiles(__file__, "credit")

DEFAULT_WEIGHTS_FILE = Path(__file__).parent / "credit_weights.toml"

DIMENSIONS: tuple[str, ...] = ("strength", "honours", "dishonesty", "points")
DIMENSION_LABELS = {"strength": "综合实力", "honours": "荣誉信息", "dishonesty": "失信信息", "points": "信用积分"}


@dataclass(frozen=True)
class IndicatorDef:
    """One indicator: its dimension, Chinese label, direction and whether counts are log-scaled."""

    key: str
    dimension: str
    label: str
    positive: bool
    countlike: bool


INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef("registered", "strength", "注册城乡规划师", True, True),
    IndicatorDef("senior", "strength", "高级职称人员", True, True),
    IndicatorDef("projects", "strength", "近三年主持项目（按层级加权）", True, True),
    IndicatorDef("qualification", "strength", "资质等级", True, False),
    IndicatorDef("honour_score", "honours", "获奖（按等级与时效加权）", True, True),
    IndicatorDef("honour_count", "honours", "获奖数量", True, True),
    IndicatorDef("unit_violations", "dishonesty", "单位违规（修复期内）", False, True),
    IndicatorDef("staff_violations", "dishonesty", "从业人员违规（修复期内）", False, True),
    IndicatorDef("open_alerts", "dishonesty", "未处理高风险预警", False, True),
    IndicatorDef("credit_points", "points", "信用积分", True, False),
)
INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}


class CreditConfigError(InvalidInput):
    """The credit weights file is unreadable or inconsistent (says which key)."""


@dataclass
class CreditConfig:
    """Weights, thresholds and periods of the credit model (see credit_weights.toml)."""

    dimension_weights: dict[str, float]
    indicator_weights: dict[str, float]
    thresholds: dict[str, float]
    points_floor_d: float
    log_scale: bool
    all_equal: float
    project_window_years: int
    senior_title_keywords: list[str]
    project_level_weights: dict[str, float]
    qualification_scores: dict[str, float]
    honour_window_years: int
    honour_half_life_years: float
    honour_points_window_years: int
    honour_points_cap: float
    award_tiers: list[dict[str, Any]]
    award_default: dict[str, float]
    prize_factors: dict[str, float]
    repair_months: dict[str, int]
    severity_weights: dict[str, float]
    default_points: dict[str, float]
    category_weights: dict[str, float]
    alert_severities: list[str]
    yellow_grades: list[str]
    exclude_unit_types: list[str] = field(default_factory=list)
    inspection: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    @classmethod
    def from_dict(cls, raw: dict[str, Any], source: str = "") -> CreditConfig:
        """Build from the parsed settings file; CreditConfigError naming the bad key."""
        try:
            ind = raw["indicators"]
            weights = {i.key: float(ind[i.dimension][i.key]) for i in INDICATORS}
            grades = raw["grades"]
            cfg = cls(
                dimension_weights={d: float(raw["dimensions"][d]) for d in DIMENSIONS},
                indicator_weights=weights,
                thresholds={g: float(grades[g]) for g in ("A", "B", "C")},
                points_floor_d=float(grades.get("points_floor_d", -1)),
                log_scale=bool(raw["normalisation"]["log_scale"]),
                all_equal=float(raw["normalisation"]["all_equal"]),
                project_window_years=int(raw["strength"]["project_window_years"]),
                senior_title_keywords=list(raw["strength"]["senior_title_keywords"]),
                project_level_weights={k: float(v) for k, v in raw["strength"]["project_level_weights"].items()},
                qualification_scores={k: float(v) for k, v in raw["strength"]["qualification_scores"].items()},
                honour_window_years=int(raw["honours"]["window_years"]),
                honour_half_life_years=float(raw["honours"]["half_life_years"]),
                honour_points_window_years=int(raw["honours"]["points_window_years"]),
                honour_points_cap=float(raw["honours"]["points_cap"]),
                award_tiers=list(raw["honours"]["tiers"]),
                award_default=dict(raw["honours"]["default"]),
                prize_factors={k: float(v) for k, v in raw["honours"]["prize_factors"].items()},
                repair_months={k: int(v) for k, v in raw["violations"]["repair_months"].items()},
                severity_weights={k: float(v) for k, v in raw["violations"]["severity_weights"].items()},
                default_points={k: float(v) for k, v in raw["violations"]["default_points"].items()},
                category_weights={k: float(v) for k, v in raw["violations"]["category_weights"].items()},
                alert_severities=list(raw["alerts"]["severities"]),
                yellow_grades=list(raw["yellow_list"]["grades"]),
                exclude_unit_types=list(raw.get("scope", {}).get("exclude_unit_types", [])),
                inspection=dict(raw.get("inspection", {})),
                source=source,
            )
        except KeyError as exc:
            raise CreditConfigError(f"{source or 'credit weights'}: missing key {exc}") from exc
        except (TypeError, ValueError) as exc:
            raise CreditConfigError(f"{source or 'credit weights'}: {exc}") from exc
        if any(w < 0 for w in [*cfg.dimension_weights.values(), *cfg.indicator_weights.values()]):
            raise CreditConfigError(f"{source}: weights must be >= 0")
        if sum(cfg.dimension_weights.values()) <= 0:
            raise CreditConfigError(f"{source}: the dimension weights sum to 0")
        t = cfg.thresholds
        if not t["A"] >= t["B"] >= t["C"]:
            raise CreditConfigError(f"{source}: grade thresholds must satisfy A >= B >= C")
        return cfg


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _read_file(path: Path) -> dict[str, Any]:
    try:
        if path.suffix.lower() == ".json":
            return dict(json.loads(path.read_text(encoding="utf-8")))
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # tomllib.TOMLDecodeError and JSONDecodeError are ValueErrors
        raise CreditConfigError(f"cannot read credit weights {path}: {exc}") from exc


def load_config(settings: Settings) -> CreditConfig:
    """The packaged defaults, overlaid with settings.credit_weights_file (TOML or JSON) if set."""
    raw = _read_file(DEFAULT_WEIGHTS_FILE)
    source = str(DEFAULT_WEIGHTS_FILE)
    if settings.credit_weights_file:
        raw = _merge(raw, _read_file(Path(settings.credit_weights_file)))
        source = str(settings.credit_weights_file)
    return CreditConfig.from_dict(raw, source)


# ---------------------------------------------------------------------------------------------
# Pure functions (tested on hand-computed examples)


def minmax(values: Sequence[float] | np.ndarray, positive: bool = True, all_equal: float = 0.5) -> np.ndarray:
    """级差变换: (x − min)/(max − min), or (max − x)/(max − min) for a negative indicator.

    No spread (all values equal): ``all_equal`` for everyone, except when the common value is 0 —
    then a positive indicator gives 0 (nobody has any) and a negative one 1 (nobody has any).
    """
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        return x
    lo, hi = float(x.min()), float(x.max())
    if hi - lo <= 1e-12:
        if abs(lo) <= 1e-12:
            return np.full(x.shape, 0.0 if positive else 1.0)
        return np.full(x.shape, all_equal)
    return (x - lo) / (hi - lo) if positive else (hi - x) / (hi - lo)


def weighted_index(columns: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """Weighted mean of normalised columns (weights renormalised to sum 1); 0 when all weights are 0."""
    w = np.asarray(weights, dtype=float)
    if not columns or w.sum() <= 0:
        n = len(columns[0]) if columns else 0
        return np.zeros(n)
    return np.sum(np.vstack(columns) * (w / w.sum())[:, None], axis=0)


def grade_for(composite: float, thresholds: dict[str, float]) -> str:
    """A/B/C by thresholds on the composite (0–100), D below C."""
    for g in ("A", "B", "C"):
        if composite >= thresholds[g]:
            return g
    return "D"


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months (day clamped to the month's end)."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, min(d.day, day))
        except ValueError:
            continue
    raise ValueError(d)  # pragma: no cover


def repair_months(severity: str | None, cfg: CreditConfig) -> int:
    """Repair period of a severity (unknown severities count as 一般)."""
    return cfg.repair_months.get(severity or "", cfg.repair_months.get("一般", 12))


def violation_active(decided: date, severity: str | None, as_of: date, cfg: CreditConfig) -> bool:
    """True while a violation counts: decided ≤ as_of < decided + repair period."""
    return decided <= as_of < add_months(decided, repair_months(severity, cfg))


def violation_points(points: float | None, severity: str | None, cfg: CreditConfig) -> float:
    """Points a violation deducts: its own, else the default of its severity."""
    if points is not None:
        return float(points)
    return cfg.default_points.get(severity or "", cfg.default_points.get("一般", 6.0))


def violation_weight(v: dict[str, Any], as_of: date, cfg: CreditConfig) -> float:
    """失信 weight of an active violation: severity × category × recency (1 → 0.5 over the period)."""
    sev = v.get("severity") or ""
    sw = cfg.severity_weights.get(sev, cfg.severity_weights.get("一般", 3.0))
    cat = v.get("category") or ""
    cw = max([w for k, w in cfg.category_weights.items() if k in cat], default=1.0)
    end = add_months(v["decided"], repair_months(sev, cfg))
    period = max((end - v["decided"]).days, 1)
    elapsed = (as_of - v["decided"]).days
    return sw * cw * (1.0 - 0.5 * min(max(elapsed / period, 0.0), 1.0))


def award_tier(level: str | None, name: str | None, cfg: CreditConfig) -> tuple[float, float]:
    """(index weight, credit points) of an award: tier by keyword in its level, else its name."""
    factor = max([f for k, f in cfg.prize_factors.items() if k in (level or "") + (name or "")], default=1.0)
    for text in (level or "", name or ""):
        for tier in cfg.award_tiers:
            if tier["keyword"] in text:
                return float(tier["weight"]) * factor, float(tier["points"]) * factor
    return float(cfg.award_default["weight"]) * factor, float(cfg.award_default["points"]) * factor


def award_recency(year: int, as_of: date, cfg: CreditConfig) -> float:
    """0.5 ** (age / half-life) inside the honour window, else 0."""
    age = as_of.year - int(year)
    if age < 0 or age >= cfg.honour_window_years:
        return 0.0
    return float(0.5 ** (age / cfg.honour_half_life_years))


def honour_points(awards: Sequence[dict[str, Any]], as_of: date, cfg: CreditConfig) -> float:
    """Bonus credit points of awards in the points window, capped."""
    total = 0.0
    for a in awards:
        age = as_of.year - int(a["year"])
        if 0 <= age < cfg.honour_points_window_years:
            total += award_tier(a.get("level"), a.get("name"), cfg)[1]
    return min(total, cfg.honour_points_cap)


def credit_points(awards: Sequence[dict[str, Any]], violations: Sequence[dict[str, Any]], as_of: date,
                  cfg: CreditConfig) -> float:
    """Base 100 + honour points − points of violations still within their repair period."""
    minus = sum(violation_points(v.get("points"), v.get("severity"), cfg) for v in violations
                if violation_active(v["decided"], v.get("severity"), as_of, cfg))
    return 100.0 + honour_points(awards, as_of, cfg) - minus


@dataclass
class UnitRaw:
    """Raw indicator values of one unit before normalisation, with how to show them."""

    unit_id: str
    name: str | None = None
    province: str | None = None
    region: str | None = None
    qualification: str | None = None
    values: dict[str, float] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    alert_rules: list[str] = field(default_factory=list)


@dataclass
class UnitScore:
    """The credit result of one unit."""

    unit_id: str
    name: str | None
    province: str | None
    region: str | None
    composite: float
    grade: str
    dimensions: dict[str, float]
    credit_points: float
    factors: dict[str, Any]
    open_alerts: int = 0
    alert_rules: list[str] = field(default_factory=list)

    def factor_text(self) -> str:
        """The driving factors as one Chinese line (for the CSV)."""
        # Lead with what explains the grade: strengths for A/B, weaknesses for C/D.
        pos = [f["text"] for f in self.factors["positive"]]
        neg = [f["text"] for f in self.factors["negative"]]
        return "；".join([self.factors["grade_reason"], *(pos + neg if self.grade in ("A", "B") else neg + pos)])


def score_units(raws: Sequence[UnitRaw], cfg: CreditConfig, top: int = 3) -> list[UnitScore]:
    """Normalise, weight and grade units; attach the top positive/negative factors (pure)."""
    n = len(raws)
    if n == 0:
        return []
    norm: dict[str, np.ndarray] = {}
    for ind in INDICATORS:
        x = np.array([float(r.values.get(ind.key, 0.0)) for r in raws])
        if cfg.log_scale and ind.countlike:
            x = np.log1p(np.clip(x, 0.0, None))
        norm[ind.key] = minmax(x, ind.positive, cfg.all_equal)
    dim_total = sum(cfg.dimension_weights.values())
    dims: dict[str, np.ndarray] = {}
    contrib: dict[str, np.ndarray] = {}
    for d in DIMENSIONS:
        members = [i for i in INDICATORS if i.dimension == d]
        ws = [cfg.indicator_weights[i.key] for i in members]
        dims[d] = weighted_index([norm[i.key] for i in members], ws)
        wsum = sum(ws) or 1.0
        for i, w in zip(members, ws, strict=True):
            # Points of the composite this indicator puts the unit above (+) or below (−) the average.
            share = 100.0 * cfg.dimension_weights[d] / dim_total * w / wsum
            contrib[i.key] = share * (norm[i.key] - norm[i.key].mean())
    composite = 100.0 * weighted_index([dims[d] for d in DIMENSIONS], [cfg.dimension_weights[d] for d in DIMENSIONS])
    out: list[UnitScore] = []
    t = cfg.thresholds
    for k, r in enumerate(raws):
        comp = round(float(composite[k]), 2)
        pts = round(float(r.values.get("credit_points", 100.0)), 2)
        grade = grade_for(comp, t)
        reason = f"综合指数 {comp:.1f}，{grade} 级（A≥{t['A']:g}，B≥{t['B']:g}，C≥{t['C']:g}）"
        if cfg.points_floor_d >= 0 and pts < cfg.points_floor_d and grade != "D":
            grade = "D"
            reason = f"信用积分 {pts:g} 分低于 {cfg.points_floor_d:g} 分，定为 D 级（综合指数 {comp:.1f}）"
        items: list[dict[str, Any]] = []
        for ind in INDICATORS:
            c = round(float(contrib[ind.key][k]), 2)
            shown = r.display.get(ind.key, f"{r.values.get(ind.key, 0):g}")
            side = "高于" if c > 0 else "低于"
            if not ind.positive:
                side = "优于" if c > 0 else "差于"
            items.append({
                "indicator": ind.key,
                "dimension": DIMENSION_LABELS[ind.dimension],
                "label": ind.label,
                "value": round(float(r.values.get(ind.key, 0.0)), 3),
                "contribution": c,
                "text": f"{ind.label}：{shown}（{side}平均，{c:+.1f}）",
            })
        pos = sorted((i for i in items if i["contribution"] >= 0.05), key=lambda i: (-i["contribution"], i["indicator"]))
        neg = sorted((i for i in items if i["contribution"] <= -0.05), key=lambda i: (i["contribution"], i["indicator"]))
        dim_values = {d: round(100.0 * float(dims[d][k]), 2) for d in DIMENSIONS}
        factors = {
            "grade_reason": reason,
            "dimensions": dim_values,
            "credit_points": pts,
            "indicators": {ind.key: {"value": round(float(r.values.get(ind.key, 0.0)), 3),
                                     "display": r.display.get(ind.key, ""),
                                     "normalised": round(float(norm[ind.key][k]), 4)} for ind in INDICATORS},
            "positive": pos[:top],
            "negative": neg[:top],
        }
        out.append(UnitScore(r.unit_id, r.name, r.province, r.region, comp, grade, dim_values, pts, factors,
                             int(r.values.get("open_alerts", 0)), list(r.alert_rules)))
    return out


# ---------------------------------------------------------------------------------------------
# Aggregation from the graph


def _native(d: Any) -> Any:
    return d.to_native() if hasattr(d, "to_native") else d


def _rows(driver: Driver, settings: Settings, name: str, **params: Any) -> list[dict[str, Any]]:
    rows = read(driver, settings, CYPHER.load(name), **params)
    for r in rows:
        if "decided" in r:
            r["decided"] = _native(r["decided"])
    return rows


def _earliest(as_of: date, cfg: CreditConfig) -> date:
    return add_months(as_of, -max(cfg.repair_months.values(), default=36)) - timedelta(days=1)


def _violation_display(vs: Sequence[dict[str, Any]]) -> str:
    if not vs:
        return "无"
    by_sev: dict[str, int] = defaultdict(int)
    for v in vs:
        by_sev[v.get("severity") or "未定"] += 1
    detail = "、".join(f"{k} {by_sev[k]}" for k in ("严重", "一般", "轻微", "未定") if by_sev.get(k))
    return f"{len(vs)} 起（{detail}）"


def collect_raw(driver: Driver, settings: Settings, as_of: date, cfg: CreditConfig) -> list[UnitRaw]:
    """Aggregate the raw indicators of every unit with a handful of set-based queries."""
    units = {r["unit_id"]: UnitRaw(r["unit_id"], r["name"], r["province"], r["region"], r["qualification"])
             for r in _rows(driver, settings, "units", exclude_types=cfg.exclude_unit_types)}
    for u in units.values():
        u.values = {i.key: 0.0 for i in INDICATORS}
        q = u.qualification or "无"
        u.values["qualification"] = cfg.qualification_scores.get(q, 0.0)
        u.display["qualification"] = q
    for r in _rows(driver, settings, "registered", as_of=as_of):
        if r["unit_id"] in units:
            units[r["unit_id"]].values["registered"] = float(r["n"])
    for r in _rows(driver, settings, "senior", as_of=as_of, keywords=cfg.senior_title_keywords):
        if r["unit_id"] in units:
            units[r["unit_id"]].values["senior"] = float(r["n"])
    window_from = add_months(as_of, -12 * cfg.project_window_years)
    proj: dict[str, dict[str, int]] = defaultdict(dict)
    for r in _rows(driver, settings, "projects", as_of=as_of, window_from=window_from):
        if r["unit_id"] in units:
            u = units[r["unit_id"]]
            for level, n in r["levels"]:
                u.values["projects"] += cfg.project_level_weights.get(level or "", 1.0) * n
                proj[r["unit_id"]][level or "未定"] = int(n)
    awards: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _rows(driver, settings, "awards_unit", year_from=as_of.year - cfg.honour_window_years + 1, year=as_of.year):
        if r["unit_id"] in units:
            awards[r["unit_id"]].append(r)
    unit_v: dict[str, list[dict[str, Any]]] = defaultdict(list)
    earliest = _earliest(as_of, cfg)
    for r in _rows(driver, settings, "violations_unit", earliest=earliest, as_of=as_of):
        if r["unit_id"] in units and violation_active(r["decided"], r["severity"], as_of, cfg):
            unit_v[r["unit_id"]].append(r)
    staff_v: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in _rows(driver, settings, "violations_staff", earliest=earliest, as_of=as_of):
        if r["unit_id"] in units and violation_active(r["decided"], r["severity"], as_of, cfg):
            staff_v[r["unit_id"]][r["violation_id"]] = r
    for r in _rows(driver, settings, "alerts_unit", statuses=list(COUNTING), severities=cfg.alert_severities):
        if r["unit_id"] in units:
            u = units[r["unit_id"]]
            u.values["open_alerts"] = float(r["n"])
            u.alert_rules = sorted(r["rules"])
    for uid, u in units.items():
        v = u.values
        v_all = unit_v.get(uid, [])
        s_all = list(staff_v.get(uid, {}).values())
        aw = awards.get(uid, [])
        scored = [(a, award_tier(a["level"], a["name"], cfg)[0] * award_recency(a["year"], as_of, cfg)) for a in aw]
        v["honour_score"] = sum(s for _, s in scored)
        v["honour_count"] = float(sum(1 for _, s in scored if s > 0))
        v["unit_violations"] = sum(violation_weight(x, as_of, cfg) for x in v_all)
        v["staff_violations"] = sum(violation_weight(x, as_of, cfg) for x in s_all)
        v["credit_points"] = credit_points(aw, v_all, as_of, cfg)
        u.display.update({
            "registered": f"{int(v['registered'])} 人",
            "senior": f"{int(v['senior'])} 人",
            "projects": "、".join(f"{k} {n}" for k, n in sorted(proj[uid].items(), key=lambda kv: (-cfg.project_level_weights.get(kv[0], 0), kv[0]))) + " 项" if proj.get(uid) else "无",
            "honour_score": f"{int(v['honour_count'])} 项，加权 {v['honour_score']:.1f}" if v["honour_count"] else "无",
            "honour_count": f"{int(v['honour_count'])} 项",
            "unit_violations": _violation_display(v_all),
            "staff_violations": _violation_display(s_all),
            "open_alerts": f"{int(v['open_alerts'])} 条（{'、'.join(u.alert_rules)}）" if v["open_alerts"] else "无",
            "credit_points": f"{v['credit_points']:g} 分",
        })
    return [units[k] for k in sorted(units)]


def person_points(driver: Driver, settings: Settings, as_of: date, cfg: CreditConfig) -> dict[str, float]:
    """Credit points of the registered planners whose awards or violations move them off the base 100.

    (base 100 + TO_PERSON awards − violations within their repair period; every other registered
    planner has exactly 100, written in the same pass by ``write_person_points``.)
    """
    awards: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _rows(driver, settings, "awards_person", year_from=as_of.year - cfg.honour_points_window_years + 1, year=as_of.year):
        awards[r["person_id"]].append(r)
    viol: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _rows(driver, settings, "violations_person", earliest=_earliest(as_of, cfg), as_of=as_of):
        viol[r["person_id"]].append(r)
    pids = sorted(set(awards) | set(viol))
    pts = {p: round(credit_points(awards.get(p, []), viol.get(p, []), as_of, cfg), 2) for p in pids}
    return {p: v for p, v in pts.items() if v != 100.0}


def write_person_points(driver: Driver, settings: Settings, as_of: date, special: dict[str, float]) -> int:
    """Set credit_points on every registered planner (``special`` ones, else 100); returns how many."""
    rows = write(driver, settings, CYPHER.load("write_persons"), special=special, base=100.0, as_of=as_of)
    return int(rows[0]["n"]) if rows else 0


# ---------------------------------------------------------------------------------------------
# Yellow list


def yellow_reasons(score: UnitScore, cfg: CreditConfig) -> list[tuple[str, str]]:
    """Why a unit belongs on the yellow list now ([(code, Chinese text)]; empty = it does not)."""
    out = []
    if score.grade in cfg.yellow_grades:
        out.append((f"grade_{score.grade}", f"信用等级 {score.grade}（综合指数 {score.composite:.1f}）"))
    if score.open_alerts > 0:
        out.append(("open_high_alert", f"未处理高风险预警 {score.open_alerts} 条（{'、'.join(score.alert_rules)}）"))
    return out


def update_yellow_list(driver: Driver, settings: Settings, as_of: date, scores: Sequence[UnitScore],
                       cfg: CreditConfig) -> dict[str, str]:
    """Record entering/leaving the yellow list; {unit_id: entered|left|on}. Same data → no change."""
    open_entries = {r["unit_id"]: r for r in _rows(driver, settings, "yellow_open")}
    enter, leave, state = [], [], {}
    for s in scores:
        reasons = yellow_reasons(s, cfg)
        current = open_entries.get(s.unit_id)
        if reasons and current is None:
            enter.append({"unit_id": s.unit_id, "entry_id": f"{s.unit_id}|{as_of.isoformat()}", "entered": as_of,
                          "reason": "；".join(t for _, t in reasons), "codes": [c for c, _ in reasons]})
            state[s.unit_id] = "entered"
        elif reasons:
            state[s.unit_id] = "on"
        elif current is not None:
            leave.append({"unit_id": s.unit_id, "entry_id": current["entry_id"], "left": as_of,
                          "left_reason": f"信用等级恢复为 {s.grade}（综合指数 {s.composite:.1f}），无未处理高风险预警"})
            state[s.unit_id] = "left"
    for rows, name in ((enter, "yellow_enter"), (leave, "yellow_leave")):
        for batch in batched(rows, settings.batch_size):
            write(driver, settings, CYPHER.load(name), rows=batch)
    return state


# ---------------------------------------------------------------------------------------------
# Public interface


def compute_credit(driver: Driver, settings: Settings, as_of: date | None = None, *,
                   config: CreditConfig | None = None,
                   progress: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """Grade every unit as of ``as_of`` and write the result into the graph (units, planners, yellow list).

    Returns one dict per unit: unit_id, name, province, region, grade, composite, the four dimension
    indices, credit_points, factors (Chinese text), factors_detail, yellow_list (entered/left/on/None).
    """
    as_of = as_of or settings.today()
    cfg = config or load_config(settings)
    say = progress or (lambda _msg: None)
    say("汇总单位指标")
    raws = collect_raw(driver, settings, as_of, cfg)
    say("级差变换与加权")
    scores = score_units(raws, cfg)
    say("写入单位信用等级")
    rows = [{"unit_id": s.unit_id, "index": s.composite, "grade": s.grade, "as_of": as_of,
             "factors": json.dumps({"as_of": as_of.isoformat(), **s.factors}, ensure_ascii=False, sort_keys=True)}
            for s in scores]
    for batch in batched(rows, settings.batch_size):
        write(driver, settings, CYPHER.load("write_units"), rows=batch)
    graded = {s.unit_id for s in scores}
    stale = sorted(r["unit_id"] for r in _rows(driver, settings, "graded_units") if r["unit_id"] not in graded)
    for batch in batched(stale, settings.batch_size):
        write(driver, settings, CYPHER.load("clear_ungraded"), unit_ids=batch)
    say("计算注册规划师信用积分")
    write_person_points(driver, settings, as_of, person_points(driver, settings, as_of, cfg))
    say("更新黄名单")
    state = update_yellow_list(driver, settings, as_of, scores, cfg)
    bump(driver, settings, "credit")
    return [{
        "unit_id": s.unit_id, "name": s.name, "province": s.province, "region": s.region,
        "grade": s.grade, "composite": s.composite,
        "strength": s.dimensions["strength"], "honours": s.dimensions["honours"],
        "dishonesty": s.dimensions["dishonesty"], "points": s.dimensions["points"],
        "credit_points": s.credit_points, "factors": s.factor_text(), "factors_detail": s.factors,
        "yellow_list": state.get(s.unit_id),
    } for s in scores]


def _to_iso(v: Any) -> Any:
    v = _native(v)
    return v.isoformat() if isinstance(v, date) else v


ALERT_INDICATOR = "open_alerts"
ALERT_REASON = "open_high_alert"
ALERT_REASON_TEXT = "未处理高风险预警"


def _factors_without_alerts(factors: dict[str, Any]) -> dict[str, Any]:
    out = dict(factors)
    if isinstance(out.get("indicators"), dict):
        out["indicators"] = {k: v for k, v in out["indicators"].items() if k != ALERT_INDICATOR}
    for side in ("positive", "negative"):
        if isinstance(out.get(side), list):
            out[side] = [f for f in out[side] if not (isinstance(f, dict) and f.get("indicator") == ALERT_INDICATOR)]
    return out


def without_alerts(data: Any, yellow_grades: Sequence[str]) -> Any:
    """A copy of credit answers (``list_credit`` rows, ``yellow_list`` entries, a unit's credit, or
    anything holding them) with nothing derived from alerts, for unit HR: the open-alert indicator and
    factors removed, yellow-list reasons from alerts removed (an entry with no other reason dropped),
    and a row's yellow-list flag from its grade alone."""
    if isinstance(data, list):
        kept = [without_alerts(v, yellow_grades) for v in data]
        return [v for v in kept if v is not None]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "factors" and isinstance(value, dict):
            out[key] = _factors_without_alerts(value)
        elif key == "credit_factors" or key == "left_reason":
            continue
        else:
            out[key] = without_alerts(value, yellow_grades)
    if isinstance(data.get("reason_codes"), list):  # a yellow-list entry
        codes = [c for c in data["reason_codes"] if c != ALERT_REASON]
        if not codes:
            return None
        out["reason_codes"] = codes
        out["reason"] = "；".join(p for p in str(data.get("reason") or "").split("；")
                                 if not p.startswith(ALERT_REASON_TEXT))
    elif isinstance(data.get("yellow_list"), bool) and "grade" in data:
        out["yellow_list"] = data["grade"] in yellow_grades
    return out


def list_credit(driver: Driver, settings: Settings, grade: str | None = None, unit_id: str | None = None,
                province: str | None = None) -> list[dict[str, Any]]:
    """Graded units (best first), optionally one grade / unit / province; factors parsed from JSON."""
    rows = read(driver, settings, CYPHER.load("list"), grade=grade, unit_id=unit_id, province=province)
    out = []
    for r in rows:
        factors = json.loads(r["factors"]) if r.get("factors") else {}
        dims = factors.get("dimensions", {})
        out.append({
            "unit_id": r["unit_id"], "name": r["name"], "province": r["province"], "region": r["region"],
            "qualification": r["qualification"], "grade": r["grade"], "composite": r["composite"],
            "strength": dims.get("strength"), "honours": dims.get("honours"),
            "dishonesty": dims.get("dishonesty"), "points": dims.get("points"),
            "credit_points": factors.get("credit_points"), "as_of": _to_iso(r["as_of"]),
            "yellow_list": bool(r["yellow"]), "factors": factors,
        })
    return out


def yellow_list(driver: Driver, settings: Settings, history: bool = False,
                unit_id: str | None = None, province: str | None = None) -> list[dict[str, Any]]:
    """Units on the yellow list now (or every entry and exit when ``history``), newest first."""
    rows = read(driver, settings, CYPHER.load("yellow_list"), history=history, unit_id=unit_id, province=province)
    return [{k: _to_iso(v) for k, v in r.items()} for r in rows]

