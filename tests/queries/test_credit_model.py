"""Pure parts of the credit model on hand-computed examples (no Neo4j)."""

from __future__ import annotations

import tomllib
from datetime import date

import numpy as np
import pytest

from queries.credit import (
    DEFAULT_WEIGHTS_FILE,
    CreditConfig,
    CreditConfigError,
    UnitRaw,
    add_months,
    award_recency,
    award_tier,
    credit_points,
    grade_for,
    load_config,
    minmax,
    score_units,
    violation_active,
    weighted_index,
)


@pytest.fixture()
def cfg() -> CreditConfig:
    c = CreditConfig.from_dict(tomllib.loads(DEFAULT_WEIGHTS_FILE.read_text(encoding="utf-8")))
    c.log_scale = False  # hand-computed examples use the raw values
    c.points_floor_d = -1
    return c


def test_minmax_positive_and_negative() -> None:
    assert minmax([2, 4, 6]).tolist() == [0.0, 0.5, 1.0]
    assert minmax([2, 4, 6], positive=False).tolist() == [1.0, 0.5, 0.0]
    assert minmax([10, 0, 5, 2.5]).tolist() == [1.0, 0.0, 0.5, 0.25]


def test_minmax_all_equal() -> None:
    assert minmax([3, 3, 3]).tolist() == [0.5, 0.5, 0.5]
    assert minmax([3, 3], positive=False, all_equal=1.0).tolist() == [1.0, 1.0]
    # Nobody has any: a positive indicator gives nothing, a negative one is clean for everyone.
    assert minmax([0, 0]).tolist() == [0.0, 0.0]
    assert minmax([0, 0], positive=False).tolist() == [1.0, 1.0]
    assert minmax([7]).tolist() == [0.5]
    assert minmax([]).tolist() == []


def test_weighted_index() -> None:
    cols = [np.array([0.0, 0.5, 1.0]), np.array([1.0, 1.0, 0.0])]
    assert weighted_index(cols, [3, 1]).tolist() == pytest.approx([0.25, 0.625, 0.75])
    assert weighted_index(cols, [0, 0]).tolist() == [0.0, 0.0, 0.0]


def test_grade_thresholds(cfg: CreditConfig) -> None:
    t = {"A": 70.0, "B": 55.0, "C": 40.0}
    assert [grade_for(x, t) for x in (100, 70, 69.99, 55, 54.9, 40, 39.99, 0)] == ["A", "A", "B", "B", "C", "C", "D", "D"]
    # The packaged thresholds: ordered, and a unit with a clean record (失信 index 100) cannot fall to D.
    assert cfg.thresholds["A"] >= cfg.thresholds["B"] >= cfg.thresholds["C"]
    assert cfg.thresholds["C"] <= 100 * cfg.dimension_weights["dishonesty"] / sum(cfg.dimension_weights.values())


def _raw(uid: str, **values: float) -> UnitRaw:
    return UnitRaw(uid, name=uid, values={k: float(v) for k, v in values.items()})


HAND = [
    _raw("A", registered=10, senior=4, projects=8, qualification=1.0, honour_score=5, honour_count=2,
         unit_violations=0, staff_violations=0, open_alerts=0, credit_points=110),
    _raw("B", registered=5, senior=2, projects=4, qualification=0.5, honour_score=0, honour_count=0,
         unit_violations=3, staff_violations=0, open_alerts=1, credit_points=94),
    _raw("C", registered=0, senior=0, projects=0, qualification=0.0, honour_score=0, honour_count=0,
         unit_violations=6, staff_violations=0, open_alerts=2, credit_points=88),
]


def test_score_units_hand_example(cfg: CreditConfig) -> None:
    a, b, c = score_units(HAND, cfg)
    # strength: every strength indicator is 1 / 0.5 / 0 → 100 / 50 / 0.
    assert [a.dimensions["strength"], b.dimensions["strength"], c.dimensions["strength"]] == [100, 50, 0]
    assert [a.dimensions["honours"], b.dimensions["honours"], c.dimensions["honours"]] == [100, 0, 0]
    # dishonesty (reversed): .5·uv + .2·staff (all 0 → 1) + .3·alerts.
    assert [a.dimensions["dishonesty"], b.dimensions["dishonesty"], c.dimensions["dishonesty"]] == pytest.approx([100, 60, 20])
    # points: (x − 88) / 22.
    assert b.dimensions["points"] == pytest.approx(100 * 6 / 22, abs=0.01)
    # composite = 100·(.35 S + .15 H + .30 D + .20 P)
    assert a.composite == pytest.approx(100.0)
    assert b.composite == pytest.approx(100 * (0.35 * 0.5 + 0.30 * 0.6 + 0.20 * 6 / 22), abs=0.01)
    assert c.composite == pytest.approx(6.0)
    assert [a.grade, b.grade, c.grade] == ["A", "C", "D"]


def test_factors_name_the_drivers(cfg: CreditConfig) -> None:
    c = score_units(HAND, cfg)[2]
    neg = c.factors["negative"]
    # contributions: credit points 100·.2·(0 − 8/22·…); unit violations 100·.3·.5·(0 − .5) = −7.5; registered −6.125
    assert [f["indicator"] for f in neg] == ["credit_points", "unit_violations", "registered"]
    assert neg[1]["contribution"] == pytest.approx(-7.5)
    assert neg[2]["contribution"] == pytest.approx(-6.125, abs=0.01)
    assert all("低于平均" in f["text"] or "差于平均" in f["text"] for f in neg)
    assert c.factors["positive"] == [] or all(f["contribution"] > 0 for f in c.factors["positive"])
    assert "综合指数 6.0" in c.factors["grade_reason"]
    a = score_units(HAND, cfg)[0]
    assert a.factors["negative"] == []
    assert len(a.factors["positive"]) == 3


def test_points_floor_forces_d(cfg: CreditConfig) -> None:
    cfg.points_floor_d = 95
    b = score_units(HAND, cfg)[1]
    assert b.grade == "D"
    assert "信用积分 94 分低于 95 分" in b.factors["grade_reason"]


def test_log_scale_dampens_outliers(cfg: CreditConfig) -> None:
    raws = [_raw("X", registered=1), _raw("Y", registered=10), _raw("Z", registered=1000)]
    plain = score_units(raws, cfg)
    cfg.log_scale = True
    logged = score_units(raws, cfg)
    assert plain[1].factors["indicators"]["registered"]["normalised"] < 0.01
    assert logged[1].factors["indicators"]["registered"]["normalised"] == pytest.approx(np.log(11 / 2) / np.log(1001 / 2), abs=1e-4)


def test_add_months() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2026, 3, 15), -12) == date(2025, 3, 15)


def test_repair_period(cfg: CreditConfig) -> None:
    as_of = date(2026, 6, 30)
    assert violation_active(date(2026, 4, 30), "轻微", as_of, cfg)          # 2 months old: counts
    assert not violation_active(date(2026, 2, 28), "轻微", as_of, cfg)      # 4 months old: restored
    assert not violation_active(date(2026, 3, 30), "轻微", as_of, cfg)      # exactly 3 months: restored
    assert violation_active(date(2025, 7, 1), "一般", as_of, cfg)
    assert not violation_active(date(2025, 6, 30), "一般", as_of, cfg)
    assert violation_active(date(2023, 7, 1), "严重", as_of, cfg)
    assert not violation_active(date(2023, 6, 30), "严重", as_of, cfg)
    assert not violation_active(date(2026, 7, 1), "轻微", as_of, cfg)       # not yet decided


def test_credit_points(cfg: CreditConfig) -> None:
    as_of = date(2026, 6, 30)
    viols = [
        {"decided": date(2026, 4, 30), "severity": "轻微", "points": None},   # default 3
        {"decided": date(2026, 2, 28), "severity": "轻微", "points": 5},      # restored
        {"decided": date(2025, 1, 1), "severity": "严重", "points": 20},
    ]
    awards = [{"year": 2025, "level": "省级", "name": "优秀规划设计奖"},        # +5
              {"year": 2020, "level": "国家级", "name": "x"}]                   # outside the points window
    assert credit_points(awards, viols, as_of, cfg) == 100 + 5 - 3 - 20
    many = [{"year": 2026, "level": "国家级一等奖", "name": ""}] * 5
    assert credit_points(many, [], as_of, cfg) == 100 + cfg.honour_points_cap


def test_award_tier_and_recency(cfg: CreditConfig) -> None:
    assert award_tier("国家级", "", cfg) == (5.0, 10.0)
    assert award_tier("二等奖", "全国优秀城乡规划设计奖", cfg) == pytest.approx((4.0, 8.0))
    assert award_tier("省级", "", cfg) == (3.0, 5.0)
    assert award_tier("其他", "", cfg) == (1.0, 1.0)
    as_of = date(2026, 6, 30)
    assert award_recency(2026, as_of, cfg) == 1.0
    assert award_recency(2024, as_of, cfg) == 0.5
    assert award_recency(2021, as_of, cfg) == 0.0  # window 5 years: 2022–2026
    assert award_recency(2027, as_of, cfg) == 0.0


def test_config_file_override(tmp_path, settings) -> None:
    p = tmp_path / "w.toml"
    p.write_text('[grades]\nA = 80.0\nB = 60.0\nC = 30.0\n[violations.repair_months]\n"轻微" = 6\n', encoding="utf-8")
    cfg = load_config(settings.model_copy(update={"credit_weights_file": p}))
    assert cfg.thresholds == {"A": 80.0, "B": 60.0, "C": 30.0}
    assert cfg.repair_months["轻微"] == 6 and cfg.repair_months["严重"] == 36
    j = tmp_path / "w.json"
    j.write_text('{"grades": {"A": 50, "B": 60, "C": 30}}', encoding="utf-8")
    with pytest.raises(CreditConfigError):
        load_config(settings.model_copy(update={"credit_weights_file": j}))
