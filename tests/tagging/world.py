"""A small planted world for tagging, search and recommendation tests (as_of 2025-06-30).

Experts (expert_id -> what is planted):
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
from typing import Any

AS_OF = date(2025, 6, 30)
UEX = "91330000MA2EXCL001"
UNITS = {
    "UZJ": ("91330000MA2ZJ00001", "浙江省城乡规划设计研究院", "浙江省"),
    "UJS": ("12320000MB1JS00002", "江苏省规划设计集团", "江苏省"),
    "UGD": ("91440000MA5GD00003", "广东省城乡规划院", "广东省"),
    "USC": ("91510000MA6SC00004", "四川省国土空间规划研究院", "四川省"),
    "UEX": (UEX, "某市规划编制中心", "浙江省"),
}


def pid(n: int, birth: date) -> str:
    return f"330106{birth:%Y%m%d}{n:03d}X"


def person(n: int, name: str, birth: date, bio: str, title: str = "高级工程师", **kw: Any) -> dict[str, Any]:
    return {"person_id": pid(n, birth), "name": name, "birth_date": birth, "bio": bio, "title": title,
            "education": kw.get("education", "硕士研究生"), "major": kw.get("major", "城乡规划"), "phone": f"1380000{n:04d}",
            "gender": "男"}


def expert_world() -> dict[str, list[dict[str, Any]]]:
    """The planted graph (see module docstring)."""
    g: dict[str, list[dict[str, Any]]] = {k: [] for k in ("units", "persons", "registrations", "employments", "insurance",
                                                          "experts", "projects", "members", "awards", "violations", "alerts")}
    for uid, name, prov in UNITS.values():
        g["units"].append({"unit_id": uid, "name": name, "province": prov, "city": None})
    village_bio = "长期从事村庄规划编制与乡村振兴研究，主持多个实用性村庄规划。"
    specs = [
        # n, name, birth, bio, unit key, expert level, status, fields
        (1, "张村规", date(1975, 3, 1), "主持编制多规合一村庄规划二十余项，负责美丽乡村规划和农村人居环境整治研究，兼顾耕地保护。", "UZJ", "省级", "在库", ["村庄规划", "乡村振兴"]),
        (2, "李交通", date(1972, 5, 2), "从事综合交通规划和轨道交通线网规划二十年，熟悉道路交通与停车规划。", "UJS", "国家级", "在库", ["交通规划"]),
        (3, "王名城", date(1968, 8, 3), "专注历史文化名城保护规划、历史文化街区和传统村落保护。", "UGD", "省级", "在库", ["历史文化保护"]),
        (4, "赵现任", date(1976, 1, 4), village_bio, "UEX", "省级", "在库", ["村庄规划"]),
        (5, "钱近期", date(1977, 1, 5), village_bio, "USC", "省级", "在库", ["村庄规划"]),
        (6, "孙三年", date(1978, 1, 6), village_bio, "USC", "省级", "在库", ["村庄规划"]),
        (7, "周违规", date(1979, 1, 7), village_bio, "UZJ", "省级", "在库", ["村庄规划"]),
        (8, "吴预警", date(1980, 1, 8), village_bio, "UZJ", "省级", "在库", ["村庄规划"]),
        (9, "郑暂停", date(1970, 1, 9), village_bio, "UJS", "省级", "暂停", ["村庄规划"]),
        (10, "冯高龄", date(1950, 1, 10), village_bio, "UJS", "国家级", "在库", ["村庄规划"]),
        (11, "陈六九", date(1955, 7, 1), village_bio, "UGD", "省级", "在库", ["村庄规划"]),
        (12, "褚注册", date(1981, 1, 12), village_bio, "USC", "市级", "在库", ["村庄规划"]),
        (13, "卫社保", date(1982, 1, 13), village_bio, "USC", "市级", "在库", ["村庄规划"]),
        (14, "蒋旧罚", date(1983, 1, 14), village_bio, "UGD", "市级", "在库", ["村庄规划"]),
        (15, "沈中警", date(1984, 1, 15), village_bio, "UJS", "市级", "在库", ["村庄规划"]),
    ]
    for n, name, birth, bio, unit, level, status, fields in specs:
        p = person(n, name, birth, bio)
        g["persons"].append(p)
        g["employments"].append({"person_id": p["person_id"], "unit_id": UNITS[unit][0], "start_date": date(2015, 1, 1), "end_date": None, "position": "规划师"})
        g["experts"].append({"expert_id": f"X{n:02d}", "person_id": p["person_id"], "level": level, "fields": fields,
                             "appointed": date(2020, 1, 1), "status": status})
    ids = {n: g["persons"][n - 1]["person_id"] for n in range(1, 16)}
    # conflicts with the excluded unit
    g["employments"].append({"person_id": ids[5], "unit_id": UEX, "start_date": date(2012, 1, 1), "end_date": date(2023, 1, 1)})
    g["employments"].append({"person_id": ids[6], "unit_id": UEX, "start_date": date(2010, 1, 1), "end_date": date(2022, 6, 1)})
    g["registrations"].append({"cert_no": "ZC2019-12", "person_id": ids[12], "unit_id": UEX, "valid_from": date(2019, 1, 1), "valid_to": date(2024, 3, 31)})
    g["insurance"].append({"person_id": ids[13], "unit_id": UEX, "start_month": date(2018, 1, 1), "end_month": date(2023, 5, 1)})
    g["registrations"].append({"cert_no": "ZC2018-01", "person_id": ids[1], "unit_id": UNITS["UZJ"][0], "valid_from": date(2018, 1, 1), "valid_to": None})
    g["violations"] += [
        {"violation_id": "V07", "person_id": ids[7], "category": "挂证", "severity": "一般", "decided": date(2024, 1, 10), "points": 5},
        {"violation_id": "V14", "person_id": ids[14], "category": "挂证", "severity": "一般", "decided": date(2021, 1, 10), "points": 5},
    ]
    g["alerts"] += [
        {"alert_id": "A08", "person_id": ids[8], "rule": "CL1", "severity": "high", "status": "open", "summary": "人证分离"},
        {"alert_id": "A15a", "person_id": ids[15], "rule": "CL5", "severity": "medium", "status": "open", "summary": "多头参保"},
        {"alert_id": "A15b", "person_id": ids[15], "rule": "CL1", "severity": "high", "status": "dismissed", "summary": "人证分离"},
    ]
    # projects: X01 leads three village plans, X02 transport, X03 heritage; others join one village project
    zj = UNITS["UZJ"][0]
    projects = [
        ("P1", "浙江省安吉县多规合一实用性村庄规划", "省级", "村庄规划", "浙江省", 2023),
        ("P2", "杭州市余杭区村庄布局规划", "市级", "村庄规划", "浙江省", 2022),
        ("P3", "湖州市美丽乡村规划", "市级", "村庄规划", "浙江省", 2021),
        ("P4", "南京市综合交通规划", "市级", "专项规划", "江苏省", 2022),
        ("P5", "广州历史文化名城保护规划", "市级", "专项规划", "广东省", 2020),
        ("P6", "某县乡镇国土空间总体规划", "县级", "国土空间总体规划", "四川省", 2021),
    ]
    for jid, name, level, ptype, prov, year in projects:
        g["projects"].append({"project_id": jid, "name": name, "level": level, "plan_type": ptype, "province": prov,
                              "lead_unit_id": zj, "start_date": date(year, 1, 1), "end_date": date(year, 12, 31),
                              "description": "开展现状调研、双评价和方案编制。"})
    for jid in ("P1", "P2", "P3"):
        g["members"].append({"project_id": jid, "person_id": ids[1], "unit_id": zj, "role": "项目负责人"})
    g["members"].append({"project_id": "P4", "person_id": ids[2], "unit_id": zj, "role": "项目负责人"})
    g["members"].append({"project_id": "P5", "person_id": ids[3], "unit_id": zj, "role": "技术负责人"})
    for n in range(4, 16):
        g["members"].append({"project_id": "P6", "person_id": ids[n], "unit_id": zj, "role": "参与人员"})
    g["members"].append({"project_id": "P1", "person_id": ids[6], "unit_id": zj, "role": "参与人员"})
    g["awards"].append({"award_id": "AW1", "name": "全国优秀城乡规划设计奖", "level": "国家级一等奖", "year": 2024, "project_id": "P1", "person_ids": [ids[1]]})
    return g


def ids() -> dict[str, str]:
    """expert_id -> person_id of the planted world."""
    g = expert_world()
    return {e["expert_id"]: e["person_id"] for e in g["experts"]}
