"""Builders for ingest tests: valid ID numbers and USCCs, a small world of rows for all 13 files,
and a writer that puts them in a folder as UTF-8 / BOM / GBK / GB18030 CSV or XLSX, with English
or Chinese headers. Everything is written into pytest tmp dirs; the graph is the real Neo4j of
tests/conftest.py.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from stdnum.cn import ric, uscc

from graph.settings import Settings
from ingest.schemas import SPEC_BY_NAME


def make_id(n: int, born: date = date(1980, 1, 1), region: str = "110101") -> str:
    """A valid 18-digit ID number (checksum, birth date and place) numbered ``n``."""
    body = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_uscc(n: int, region: str = "330106") -> str:
    """A valid unified social credit code numbered ``n``."""
    body = f"91{region}{n:09d}"[:17]
    return body + uscc.calc_check_digit(body)


U1, U2, U3 = make_uscc(1), make_uscc(2, "110108"), make_uscc(3)
EXT_EMPLOYER, EXT_PAYER, EXT_LEAD, EXT_VIOLATOR = make_uscc(11), make_uscc(12), make_uscc(13), make_uscc(14)
P1, P2, P3, P4 = make_id(1), make_id(2, date(1985, 5, 6)), make_id(3, date(1950, 2, 3)), make_id(4, date(1975, 7, 8))
INJECTION = "'}) DETACH DELETE n //"

WORLD: dict[str, list[dict[str, Any]]] = {
    "units": [
        {"unit_id": U1, "name": "浙江某规划设计研究院有限公司", "province": "浙江省", "city": "杭州市", "unit_type": "企业",
         "grade": "甲级", "cert_no": "ZJ-001", "cert_valid_until": "2026-12-31", "legal_rep": "王强",
         "phone": "+86 138-0000-1111", "email": "Office@Example.COM", "address": "杭州市西湖区", "parent_unit_id": U3},
        {"unit_id": U2, "name": INJECTION, "province": "北京市", "city": "北京市", "unit_type": "事业单位", "grade": "乙级",
         "cert_no": "BJ-002", "cert_valid_until": "2025/6/30", "legal_rep": "赵六", "phone": "无", "email": "-",
         "address": "北京市海淀区", "parent_unit_id": ""},
        {"unit_id": U3, "name": "浙江某大学", "province": "浙江", "city": "杭州市", "unit_type": "高校", "grade": "无",
         "cert_no": "", "cert_valid_until": "", "legal_rep": "", "phone": "0571-88880000", "email": "",
         "address": "", "parent_unit_id": ""},
    ],
    "persons": [
        {"person_id": P1, "name": "张伟", "gender": "男", "birth_date": "1980-01-01", "education": "硕士",
         "school": "同济大学", "major": "城乡规划", "title": "高级工程师", "phone": "13800001111",
         "email": "zw@example.com", "civil_servant": "否", "retired": "否", "bio": "从事国土空间规划十年"},
        {"person_id": P2, "name": "张伟", "gender": "男", "birth_date": "1985年5月6日", "education": "本科",
         "school": "浙江大学", "major": "地理信息系统", "title": "工程师", "phone": "", "email": "",
         "civil_servant": "否", "retired": "否", "bio": INJECTION},
        {"person_id": P3, "name": "李娜", "gender": "女", "birth_date": "", "education": "本科", "school": "",
         "major": "", "title": "教授级高工", "phone": "00000000000", "email": "无", "civil_servant": "否",
         "retired": "是", "bio": ""},
        {"person_id": P4, "name": "王芳", "gender": "女", "birth_date": "1975.7.8", "education": "博士", "school": "",
         "major": "", "title": "", "phone": "+8613900002222", "email": "WF@Example.com", "civil_servant": "是",
         "retired": "否", "bio": ""},
    ],
    "registrations": [
        {"cert_no": "REG-001", "person_id": P1, "unit_id": U1, "valid_from": "2020-01-01", "valid_to": ""},
        {"cert_no": "REG-002", "person_id": P2, "unit_id": U2, "valid_from": "2019/3/1", "valid_to": "2022年5月1日"},
    ],
    "employments": [
        {"person_id": P1, "unit_id": U1, "start_date": "2019-01-01", "end_date": "", "position": "所长"},
        {"person_id": P2, "unit_id": EXT_EMPLOYER, "start_date": "2018-01-01", "end_date": "2019-12-31", "position": ""},
        {"person_id": P2, "unit_id": U2, "start_date": "2020-01-01", "end_date": "", "position": "规划师"},
    ],
    "social_insurance": [
        {"person_id": P1, "unit_id": U1, "payer_name": "浙江某规划设计研究院有限公司", "payer_type": "企业",
         "province": "浙江", "start_month": "2019-01", "end_month": ""},
        {"person_id": P2, "unit_id": EXT_PAYER, "payer_name": "某某咨询公司", "payer_type": "企业", "province": "北京",
         "start_month": "2020年1月", "end_month": "2021/6"},
    ],
    "experts": [
        {"expert_id": "E001", "person_id": P1, "level": "国家级", "fields": "城乡规划;国土空间规划、GIS",
         "appointed": "2021-01-01", "status": "在库"},
    ],
    "projects": [
        {"project_id": "J001", "name": "某市国土空间总体规划", "level": "市级", "plan_type": "总体规划", "province": "浙江省",
         "city": "杭州市", "county": "", "lead_unit_id": U1, "start_date": "2021-03-01", "end_date": "2022-06-30",
         "status": "已完成", "description": "编制市级国土空间总体规划"},
        {"project_id": "J002", "name": "某县村庄规划", "level": "县级", "plan_type": "村庄规划", "province": "北京市",
         "city": "", "county": "某县", "lead_unit_id": EXT_LEAD, "start_date": "2022-01-01", "end_date": "",
         "status": "在编", "description": ""},
    ],
    "project_members": [
        {"project_id": "J001", "person_id": P1, "unit_id": U1, "role": "项目负责人"},
        {"project_id": "J001", "person_id": P2, "unit_id": U2, "role": "参与人员"},
    ],
    "applications": [
        {"application_id": "A001", "unit_id": U1, "grade": "甲级", "submitted": "2022-01-01", "decided": "2022-03-01",
         "result": "批准"},
    ],
    "application_staff": [
        {"application_id": "A001", "person_id": P1, "role": "技术负责人"},
        {"application_id": "A001", "person_id": P2, "role": "技术人员"},
    ],
    "awards": [
        {"award_id": "W001", "name": "省优秀国土空间规划设计奖", "level": "一等奖", "year": "2021", "project_id": "J001",
         "unit_id": U1, "person_ids": f"{P1}；{P2}"},
    ],
    "violations": [
        {"violation_id": "V001", "subject_type": "个人", "subject_id": P3, "category": "挂证", "severity": "一般",
         "decided": "2022-06-01", "authority": "省自然资源厅", "penalty": "通报批评", "points": "3", "description": ""},
        {"violation_id": "V002", "subject_type": "单位", "subject_id": EXT_VIOLATOR, "category": "超越资质",
         "severity": "严重", "decided": "2023-01-05", "authority": "市自然资源局", "penalty": "罚款", "points": "",
         "description": ""},
    ],
    "reorganizations": [
        {"from_unit_id": U2, "to_unit_id": U1, "date": "2021-01-01", "kind": "合并"},
    ],
}

WORLD_COUNTS = {
    "units": 3, "organisations": 4, "persons": 4, "registrations": 2, "employments": 3, "insurance_periods": 2,
    "experts": 1, "projects": 2, "project_members": 2, "applications": 1, "application_staff": 2, "awards": 1,
    "violations": 2, "reorganizations": 1,
}


def world() -> dict[str, list[dict[str, Any]]]:
    """A fresh deep copy of the valid world (tests change it freely)."""
    return copy.deepcopy(WORLD)


def _as_xlsx_value(column: str, value: Any) -> Any:
    kind = SPEC_BY_NAME_KIND.get(column)
    if kind == "date" and isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return datetime.strptime(value, "%Y-%m-%d")
    return value


SPEC_BY_NAME_KIND = {c.name: c.kind for spec in SPEC_BY_NAME.values() for c in spec.columns}


def write_file(folder: Path, name: str, rows: list[dict[str, Any]], fmt: str = "csv", chinese: bool = False,
               headers: list[str] | None = None) -> Path:
    """Write one input file: fmt csv (UTF-8), bom, gbk, gb18030 or xlsx (real dates in date columns)."""
    spec = SPEC_BY_NAME[name]
    columns = [c.name for c in spec.columns]
    if headers is None:
        headers = [spec.by_name[c].alias if chinese else c for c in columns]
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(headers)
        for row in rows:
            ws.append([_as_xlsx_value(c, row.get(c, "")) or None for c in columns])
        path = folder / f"{name}.xlsx"
        wb.save(path)
        return path
    encoding = {"csv": "utf-8", "bom": "utf-8-sig", "gbk": "gbk", "gb18030": "gb18030"}[fmt]
    path = folder / f"{name}.csv"
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


def write_folder(folder: Path, data: dict[str, list[dict[str, Any]]], fmt: str | dict[str, str] = "csv",
                 chinese: bool = False) -> Path:
    """Write every file of ``data`` into ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in data.items():
        file_fmt = fmt if isinstance(fmt, str) else fmt.get(name, "csv")
        write_file(folder, name, rows, file_fmt, chinese)
    return folder


def wipe(driver: Driver, settings: Settings) -> None:
    """Empty the database (schema kept)."""
    with driver.session(database=settings.neo4j_database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


KEYS = ("unit_id", "person_id", "reg_id", "emp_id", "ins_id", "expert_id", "project_id", "application_id", "award_id",
        "violation_id", "reorg_id")


def graph_checksum(driver: Driver, settings: Settings, skip: tuple[str, ...] = ()) -> str:
    """SHA-256 of every node and relationship with their properties (minus ``skip``), but the
    bookkeeping of runs: the journal's :Load nodes, the :GraphVersion counter (every load moves it),
    the writer slot (:Lock) and jobs (:Job)."""
    db = settings.neo4j_database

    def props(p: dict[str, Any]) -> list[list[str]]:
        return sorted([k, str(v)] for k, v in p.items() if k not in skip)

    nodes = driver.execute_query("MATCH (n) WHERE NOT n:Load AND NOT n:GraphVersion AND NOT n:Lock AND NOT n:Job AND NOT n:RefreshStamp RETURN elementId(n) AS id, labels(n) AS labels, "
                                 "properties(n) AS p", database_=db).records
    key_of = {r["id"]: next((f"{k}={r['p'][k]}" for k in KEYS if k in r["p"]), "?") for r in nodes}
    rels = driver.execute_query("MATCH (a)-[r]->(b) WHERE NOT a:Load AND NOT a:Job RETURN type(r) AS t, elementId(a) AS a, "
                                "elementId(b) AS b, properties(r) AS p", database_=db).records
    rows = sorted(json.dumps([sorted(r["labels"]), props(r["p"])], ensure_ascii=False) for r in nodes)
    rows += sorted(json.dumps([r["t"], key_of[r["a"]], key_of[r["b"]], props(r["p"])], ensure_ascii=False) for r in rels)
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


@pytest.fixture
def world_dir(tmp_path: Path) -> Callable[..., Path]:
    """``world_dir(data=None, fmt="csv", chinese=False)`` writes a folder and returns it."""
    counter = iter(range(1000))

    def make(data: dict[str, list[dict[str, Any]]] | None = None, fmt: str | dict[str, str] = "csv",
             chinese: bool = False) -> Path:
        return write_folder(tmp_path / f"in{next(counter)}", world() if data is None else data, fmt, chinese)

    return make


# A persons row with a wrong check digit (for CLI exit-code tests; line 6 after the 4 world persons).
BAD_ROW_PERSON = dict(WORLD["persons"][0], person_id=make_id(5)[:-1] + ("0" if make_id(5)[-1] != "0" else "1"))
