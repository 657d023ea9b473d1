"""A small planted world for tagging, portrait, search and recommendation tests (as_of 2025-06-30).

Experts (expert_id, also the person's key in the scenario -> what is planted):
  X01 浙江 village-plan leader (the best answer to a 村庄规划 request)
  X02 江苏 transport expert              X03 广东 heritage expert
  X04 village, employed NOW at the excluded unit UEX
  X05 village, employment at UEX ended 2023-01-01 (within 3 years)
  X06 village, employment at UEX ended 2022-06-01 (just over 3 years before as_of: allowed)
  X07 village, violation decided 2024-01-10 (excluded)
  X08 village, open high alert (excluded); X15 village, open *medium* and dismissed high alerts (allowed)
  X09 village, status 暂停 (never recommended)
  X10 village, born 1950 (75: excluded); X11 village, born 1955-07-01 (69 on as_of: allowed)
  X12 village, registration at UEX valid to 2024-03-31 (excluded)
  X13 village, insurance with payer UEX until 2023-05 (excluded)
  X14 village, violation decided 2021-01-10 (older than 3 years: allowed)
"""

from __future__ import annotations

from datetime import date

from tests.builder import Scenario

AS_OF = date(2025, 6, 30)
HANGZHOU = "330100"  # a birth-place code valid for every birth year below
UNITS = {
    "UZJ": ("浙江省城乡规划设计研究院", "浙江省"),
    "UJS": ("江苏省规划设计集团", "江苏省"),
    "UGD": ("广东省城乡规划院", "广东省"),
    "USC": ("四川省国土空间规划研究院", "四川省"),
    "UEX": ("某市规划编制中心", "浙江省"),
}
VILLAGE_BIO = "长期从事村庄规划编制与乡村振兴研究，主持多个实用性村庄规划。"
EXPERTS = [
    # n, name, birth, bio, unit key, expert level, status, fields
    (1, "张村规", date(1975, 3, 1), "主持编制多规合一村庄规划二十余项，负责美丽乡村规划和农村人居环境整治研究，兼顾耕地保护。", "UZJ", "省级", "在库", ["村庄规划", "乡村振兴"]),
    (2, "李交通", date(1972, 5, 2), "从事综合交通规划和轨道交通线网规划二十年，熟悉道路交通与停车规划。", "UJS", "国家级", "在库", ["交通规划"]),
    (3, "王名城", date(1968, 8, 3), "专注历史文化名城保护规划、历史文化街区和传统村落保护。", "UGD", "省级", "在库", ["历史文化保护"]),
    (4, "赵现任", date(1976, 1, 4), VILLAGE_BIO, "UEX", "省级", "在库", ["村庄规划"]),
    (5, "钱近期", date(1977, 1, 5), VILLAGE_BIO, "USC", "省级", "在库", ["村庄规划"]),
    (6, "孙三年", date(1978, 1, 6), VILLAGE_BIO, "USC", "省级", "在库", ["村庄规划"]),
    (7, "周违规", date(1979, 1, 7), VILLAGE_BIO, "UZJ", "省级", "在库", ["村庄规划"]),
    (8, "吴预警", date(1980, 1, 8), VILLAGE_BIO, "UZJ", "省级", "在库", ["村庄规划"]),
    (9, "郑暂停", date(1970, 1, 9), VILLAGE_BIO, "UJS", "省级", "暂停", ["村庄规划"]),
    (10, "冯高龄", date(1950, 1, 10), VILLAGE_BIO, "UJS", "国家级", "在库", ["村庄规划"]),
    (11, "陈六九", date(1955, 7, 1), VILLAGE_BIO, "UGD", "省级", "在库", ["村庄规划"]),
    (12, "褚注册", date(1981, 1, 12), VILLAGE_BIO, "USC", "市级", "在库", ["村庄规划"]),
    (13, "卫社保", date(1982, 1, 13), VILLAGE_BIO, "USC", "市级", "在库", ["村庄规划"]),
    (14, "蒋旧罚", date(1983, 1, 14), VILLAGE_BIO, "UGD", "市级", "在库", ["村庄规划"]),
    (15, "沈中警", date(1984, 1, 15), VILLAGE_BIO, "UJS", "市级", "在库", ["村庄规划"]),
]
PROJECTS = [
    ("P1", "浙江省安吉县多规合一实用性村庄规划", "省级", "村庄规划", "浙江省", 2023),
    ("P2", "杭州市余杭区村庄布局规划", "市级", "村庄规划", "浙江省", 2022),
    ("P3", "湖州市美丽乡村规划", "市级", "村庄规划", "浙江省", 2021),
    ("P4", "南京市综合交通规划", "市级", "专项规划", "江苏省", 2022),
    ("P5", "广州历史文化名城保护规划", "市级", "专项规划", "广东省", 2020),
    ("P6", "某县乡镇国土空间总体规划", "县级", "国土空间总体规划", "四川省", 2021),
]


def expert_world() -> Scenario:
    """The planted world (see module docstring); `load` it into an emptied database."""
    s = Scenario()
    for key, (name, province) in UNITS.items():
        s.unit(key, name=name, province=province, city="", grade="")
    for n, name, birth, bio, unit, level, status, fields in EXPERTS:
        x = f"X{n:02d}"
        s.person(x, name=name, birth=birth, region=HANGZHOU, bio=bio, title="高级工程师", education="硕士研究生",
                 major="城乡规划", phone=f"1380000{n:04d}", gender="男")
        s.employment(x, unit, date(2015, 1, 1))
        s.expert(x, x, level=level, fields=fields, appointed=date(2020, 1, 1), status=status)
    # conflicts with the excluded unit
    s.employment("X05", "UEX", date(2012, 1, 1), date(2023, 1, 1))
    s.employment("X06", "UEX", date(2010, 1, 1), date(2022, 6, 1))
    s.registration("X12", "UEX", date(2019, 1, 1), date(2024, 3, 31), cert="ZC2019-12")
    s.insurance("X13", "UEX", "2018-01", "2023-05")
    s.registration("X01", "UZJ", date(2018, 1, 1), cert="ZC2018-01")
    s.violation("V07", "X07", category="挂证", severity="一般", decided=date(2024, 1, 10), points=5)
    s.violation("V14", "X14", category="挂证", severity="一般", decided=date(2021, 1, 10), points=5)
    s.alert("CL1", alert_id="A08", persons=["X08"], score=0.9, summary="人证分离")
    s.alert("CL5", alert_id="A15a", persons=["X15"], score=0.5, summary="多头参保")
    s.alert("CL1", alert_id="A15b", persons=["X15"], score=0.9, status="dismissed", summary="人证分离")
    # projects: X01 leads three village plans, X02 transport, X03 heritage; others join one village project
    for key, name, level, plan_type, province, year in PROJECTS:
        s.project(key, "UZJ", date(year, 1, 1), end=date(year, 12, 31), name=name, level=level, plan_type=plan_type,
                  province=province, city=None, status="已完成", description="开展现状调研、双评价和方案编制。")
    for key in ("P1", "P2", "P3"):
        s.member(key, "X01", "UZJ", "项目负责人")
    s.member("P4", "X02", "UZJ", "项目负责人")
    s.member("P5", "X03", "UZJ", "技术负责人")
    for n in range(4, 16):
        s.member("P6", f"X{n:02d}", "UZJ", "参与人员")
    s.member("P1", "X06", "UZJ", "参与人员")
    s.award("AW1", name="全国优秀城乡规划设计奖", level="国家级一等奖", year=2024, project="P1", persons=["X01"])
    return s


def ids() -> dict[str, str]:
    """expert_id -> person_id of the planted world."""
    s = expert_world()
    return {f"X{n:02d}": s.p(f"X{n:02d}") for n, *_ in EXPERTS}


UEX = expert_world().u("UEX")
