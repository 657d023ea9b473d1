"""Spreadsheets for people (DESIGN.md Casework, exports): the alert list, the credit grades and the
inspection draw as XLSX (openpyxl), built by `workbook` (panel rosters too, api/rosters.py). Every text cell goes through graph.files.safe_cell (a leading
``'`` before = + - @ tab CR), so no cell of the data becomes a formula. The rows are what the API
answers the caller, already masked for its role (api.deps.present)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from graph.files import safe_cell
from queries.alerts import RULE_NAMES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_ZH = {"open": "待处理", "assigned": "已分派", "confirmed": "已确认", "dismissed": "已排除",
             "rectification": "整改中", "rectified": "已整改", "penalized": "已处罚", "closed": "已关闭"}
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}


def xlsx_cell(value: Any) -> Any:
    """A value as an XLSX cell: never a formula (graph.files.safe_cell), without the control characters
    that XLSX cannot hold (openpyxl refuses them; a filter typed into a URL may carry any)."""
    value = safe_cell(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


@dataclass
class Sheet:
    """One sheet of a workbook: optional note lines above a bold header, then the rows."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    notes: Sequence[str] = ()


def workbook(*sheets: Sheet) -> bytes:
    """The sheets in order, every text cell made safe (xlsx_cell), columns sized to their text (at most
    60), the header row frozen, long texts wrapped."""
    wb = Workbook()
    for n, sheet in enumerate(sheets):
        ws = wb.active if n == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = sheet.title[:31]
        for note in sheet.notes:
            ws.append([xlsx_cell(note)])
        ws.append([xlsx_cell(h) for h in sheet.header])
        head_row = ws.max_row
        for cell in ws[head_row]:
            cell.font = Font(bold=True)
        widths = [len(str(h)) * 2 + 2 for h in sheet.header]
        for row in sheet.rows:
            values = [xlsx_cell(v) for v in row]
            ws.append(values)
            for i, v in enumerate(values[: len(widths)]):
                widths[i] = min(max(widths[i], len(str(v or "")) + 2), 60)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = ws.cell(row=head_row + 1, column=1)
        for cells in ws.iter_rows(min_row=head_row + 1):
            for cell in cells:
                cell.alignment = Alignment(vertical="top", wrap_text=isinstance(cell.value, str) and len(cell.value) > 40)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _names(ids: Sequence[str] | None, names: dict[str, str]) -> str:
    return "；".join(f"{names.get(i, '')}（{i}）" if names.get(i) else i for i in ids or [])


def alerts_xlsx(alerts: Sequence[dict[str, Any]], filters: dict[str, Any]) -> bytes:
    """The alert list as the list page shows it (``alerts``: list_alerts data, presented for the caller)."""
    shown = "，".join(f"{k}={v}" for k, v in filters.items() if v) or "无"
    rows = []
    for a in alerts:
        names = {n["id"]: n["name"] for n in a.get("names") or []}
        rows.append([a["alert_id"], a.get("rule"), RULE_NAMES.get(a.get("rule") or "", ""),
                     SEVERITY_ZH.get(a.get("severity") or "", a.get("severity")), a.get("score"),
                     STATUS_ZH.get(a.get("status") or "", a.get("status")), a.get("summary"),
                     _names(a.get("person_ids"), names), _names(a.get("unit_ids"), names),
                     (a.get("period") or {}).get("from"), (a.get("period") or {}).get("to"),
                     a.get("assignee"), a.get("due"), a.get("deadline"), a.get("violation_id"),
                     a.get("first_seen"), a.get("last_seen")])
    header = ["预警编号", "规则", "规则名称", "风险", "分值", "状态", "摘要", "涉及人员", "涉及单位", "起", "止",
              "承办人", "核查期限", "整改期限", "处罚编号", "首次发现", "最近发现"]
    return workbook(Sheet("预警清单", header, rows, notes=[f"预警清单（筛选：{shown}），共 {len(rows)} 条"]))


def credit_xlsx(units: Sequence[dict[str, Any]], filters: dict[str, Any]) -> bytes:
    """Credit grades (list_credit rows) with the four dimensions and the driving factors."""
    shown = "，".join(f"{k}={v}" for k, v in filters.items() if v) or "无"
    rows = []
    for u in units:
        f = u.get("factors") or {}
        factors = "；".join([f.get("grade_reason") or ""] + [x.get("text", "") for x in
                                                            (f.get("negative") or []) + (f.get("positive") or [])])
        rows.append([u["unit_id"], u.get("name"), u.get("province"), u.get("qualification"), u.get("grade"),
                     u.get("composite"), u.get("strength"), u.get("honours"), u.get("dishonesty"), u.get("points"),
                     u.get("credit_points"), "是" if u.get("yellow_list") else "否", u.get("as_of"), factors])
    header = ["统一社会信用代码", "单位名称", "省份", "资质等级", "信用等级", "综合指数", "综合实力", "荣誉", "失信",
              "信用积分指数", "信用积分", "黄名单", "评价日期", "主要因素"]
    return workbook(Sheet("信用评价", header, rows, notes=[f"单位信用评价（筛选：{shown}），共 {len(rows)} 家"]))


def draw_xlsx(rows: Sequence[dict[str, Any]], meta: dict[str, Any]) -> bytes:
    """The 双随机 inspection list (DrawResult.rows) with the parameters that let anyone re-run it."""
    header = list(rows[0]) if rows else ["seq", "unit_id", "unit_name", "province"]
    notes = [f"双随机抽查名单：随机种子 {meta.get('seed')}，基准日 {meta.get('as_of')}，抽取 {meta.get('n')} 家"
             f"（候选 {meta.get('candidates')} 家{'，' + str(meta.get('province')) if meta.get('province') else ''}）",
             f"输入摘要 SHA-256 {meta.get('inputs_hash')}；方法：{meta.get('method')}"]
    return workbook(Sheet("抽查名单", header, ([r.get(h) for h in header] for r in rows), notes=notes))
