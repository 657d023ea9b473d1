"""Side files of a sample: inspectors.csv, expert_requests.jsonl, and the GBK/XLSX variants."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from ingest.sample import names as N
from ingest.sample.world import Unit, World
from ingest.schemas import SPECS

CHINESE_HEADERS: dict[str, dict[str, str]] = {
    "units": {"unit_id": "统一社会信用代码", "name": "单位名称", "province": "省份", "city": "城市", "unit_type": "单位性质",
              "grade": "资质等级", "cert_no": "资质证书编号", "cert_valid_until": "资质有效期", "legal_rep": "法定代表人",
              "phone": "联系电话", "email": "电子邮箱", "address": "地址", "parent_unit_id": "主管单位统一社会信用代码"},
    "persons": {"person_id": "身份证号", "name": "姓名", "gender": "性别", "birth_date": "出生日期", "education": "学历",
                "school": "毕业院校", "major": "专业", "title": "职称", "phone": "联系电话", "email": "电子邮箱",
                "civil_servant": "是否公务员", "retired": "是否退休", "bio": "个人简介"},
    "employments": {"person_id": "身份证号", "unit_id": "单位统一社会信用代码", "start_date": "入职日期", "end_date": "离职日期",
                    "position": "岗位"},
    "social_insurance": {"person_id": "身份证号", "unit_id": "缴费单位统一社会信用代码", "payer_name": "缴费单位名称",
                         "payer_type": "缴费单位性质", "province": "参保地", "start_month": "起始月份", "end_month": "终止月份"},
    "projects": {"project_id": "项目编号", "name": "项目名称", "level": "项目层级", "plan_type": "规划类型", "province": "省份",
                 "city": "城市", "county": "区县", "lead_unit_id": "承担单位统一社会信用代码", "start_date": "开始日期",
                 "end_date": "结束日期", "status": "项目状态", "description": "项目简介"},
}


def write_inspectors(w: World, kinds: dict[str, list[Unit]], out: Path) -> int:
    """~20 inspectors: staff of government offices (person_id known) and a few without a person record."""
    rng = w.rng
    rows = []
    gov = kinds["gov"]
    for i in range(20):
        unit = gov[i % len(gov)]
        person_id, name = "", w.ids.name()
        if i % 3 != 2 and unit.staff:
            person_id = unit.staff[(i // len(gov)) % len(unit.staff)][0]
            name = w.person_names[person_id]
        rows.append([f"JC{i + 1:03d}", name, person_id, unit.unit_id, unit.province])
    rng.shuffle(rows)
    with open(out / "inspectors.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["inspector_id", "name", "person_id", "unit_id", "province"])
        writer.writerows(sorted(rows))
    return len(rows)


def write_requests(w: World, out: Path) -> int:
    """Labelled requests: relevant = the 在库 experts (age <= 70) whose planted specialty matches."""
    rng = w.rng
    lines = []
    for spec in sorted(N.SPECIALTIES):
        sp = N.SPECIALTIES[spec]
        relevant = sorted(eid for eid, status in w.expert_ids.get(spec, []) if status == "在库" and eid not in w.old_experts)
        for i, template in enumerate(sp["requests"]):
            prov = w.pick_province()
            city = sorted(N.PROVINCES[prov]["cities"])[0]
            text = template.format(place=city.removesuffix("市") if "{place}" in template else "")
            lines.append({
                "text": text,
                "plan_type": sp["plan_type"] if i == 1 else None,
                "level": rng.choice(["省级", "市级", "县级"]) if i == 2 else None,
                "province": prov if i != 0 else None,
                "specialty": spec,
                "relevant_expert_ids": relevant,
            })
    with open(out / "expert_requests.jsonl", "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(lines)


def write_variants(out: Path) -> list[str]:
    """Copies for ingest tests: GBK CSVs with Chinese headers and Chinese dates, XLSX files, and
    ``variants/contract``: a whole folder in the contract's formats (those GBK and XLSX files, the
    other files as UTF-8 with BOM and Chinese headers) holding the same rows as the sample."""
    vdir = out / "variants"
    (vdir / "gbk").mkdir(parents=True, exist_ok=True)
    (vdir / "xlsx").mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("units", "persons", "employments"):
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header = [CHINESE_HEADERS[name][h] for h in rows[0]]
        date_cols = [i for i, h in enumerate(rows[0]) if h.endswith("date")]
        body = []
        for row in rows[1:]:
            row = list(row)
            for i in date_cols:
                if row[i]:
                    y, m, d = (int(x) for x in row[i].split("-"))
                    row[i] = f"{y}年{m}月{d}日"
            body.append(row)
        with open(vdir / "gbk" / f"{name}.csv", "w", encoding="gbk", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows(body)
        written.append(f"variants/gbk/{name}.csv")
    for name in ("social_insurance", "projects"):
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        wb = Workbook()
        ws = wb.active
        ws.title = name
        ws.append([CHINESE_HEADERS[name][h] for h in rows[0]])
        date_cols = [i for i, h in enumerate(rows[0]) if h.endswith("date")]
        for row in rows[1:]:
            cells: list[object] = list(row)
            for i in date_cols:
                if row[i]:
                    cells[i] = date.fromisoformat(row[i])
            ws.append(cells)
        wb.save(vdir / "xlsx" / f"{name}.xlsx")
        written.append(f"variants/xlsx/{name}.xlsx")
    written += _write_contract_folder(out, vdir)
    return written


def _write_contract_folder(out: Path, vdir: Path) -> list[str]:
    contract = vdir / "contract"
    contract.mkdir(exist_ok=True)
    written = []
    for kind in ("gbk", "xlsx"):
        for path in sorted((vdir / kind).iterdir()):
            shutil.copyfile(path, contract / path.name)
    for spec in SPECS:
        if (contract / f"{spec.name}.csv").exists() or (contract / f"{spec.name}.xlsx").exists():
            continue
        with open(out / f"{spec.name}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        rows[0] = [spec.by_name[h].alias for h in rows[0]]
        with open(contract / f"{spec.name}.csv", "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh, lineterminator="\r\n").writerows(rows)
    for path in sorted(contract.iterdir()):
        written.append(f"variants/contract/{path.name}")
    return written
