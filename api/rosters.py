"""Panel rosters as an XLSX workbook (openpyxl), from an assignment as the caller may see it
(already masked for masked roles by ``present``); every text cell through api.exports.xlsx_cell."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from api.exports import xlsx_cell

RULE_NAMES = {"max_per_unit": "同一单位至多", "min_outside_province": "省外专家至少", "min_senior": "国家级/正高级至少",
              "max_panels_per_expert": "每位专家至多参加评审组数", "cooldown_days": "回避间隔天数", "k": "人数"}
ROSTER = ("评审组", "评审事项", "角色", "序号", "专家编号", "姓名", "身份证号", "单位", "统一社会信用代码", "省份",
          "专家级别", "国家级/正高级", "相关度")


def _sheet(wb: Workbook, title: str, header: tuple[str, ...], rows: list[list[Any]], first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet()
    assert ws is not None
    ws.title = title
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([xlsx_cell(v) for v in row])
    ws.freeze_panes = "A2"
    for col, name in zip(ws.columns, header, strict=False):
        width = max([len(str(name)) * 2, *(len(str(c.value or "")) for c in col)])
        ws.column_dimensions[col[0].column_letter].width = min(60, width + 2)


def roster_workbook(result: dict[str, Any]) -> bytes:
    """Three sheets: 名单 (members and alternates of each panel), 约束检查 (each rule as met),
    无法组建 (panels that could not be filled, with the binding rule)."""
    wb = Workbook()
    rows, checks = [], []
    for panel in result.get("panels", []):
        for role, people in (("成员", panel.get("experts", [])), ("备选", panel.get("alternates", []))):
            for n, e in enumerate(people, 1):
                rows.append([panel["panel_id"], panel.get("text"), role, n, e.get("expert_id"), e.get("name"),
                             e.get("person_id"), e.get("unit_name"), e.get("unit_id"), e.get("province"), e.get("level"),
                             "是" if e.get("senior") else "否", e.get("score")])
        for c in panel.get("checks", []):
            checks.append([panel["panel_id"], RULE_NAMES.get(c["constraint"], c["constraint"]), c["required"], c["actual"],
                           "满足" if c["met"] else "不满足"])
    _sheet(wb, "名单", ROSTER, rows, first=True)
    _sheet(wb, "约束检查", ("评审组", "约束", "要求", "实际", "结果"), checks)
    _sheet(wb, "无法组建", ("评审组", "约束", "原因"),
           [[i["panel_id"], i.get("constraint"), i.get("reason")] for i in result.get("infeasible", [])])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
