"""Exports over HTTP (DESIGN.md Casework): the alert list, credit grades and the inspection draw as
XLSX (the list's filters, the caller's scope, text cells never formulas, unmasked exports audited)
and the printable case report as a PDF that opens and names the alert and its persons."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from graph.db import read, write
from queries.users import create_user
from tests.api.conftest import CL2_ALERT, P2, UNIT_A, UNIT_B, Site

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(r) -> list[list]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(XLSX)
    return [list(row) for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True)]


def _body(rows: list[list], first: str) -> list[list]:
    """Data rows below the header row that starts with ``first``."""
    i = next(k for k, row in enumerate(rows) if row[0] == first)
    return rows[i + 1:]


@pytest.fixture(scope="module")
def js_manager(site: Site, db, settings) -> str:
    site.user_ids["mgr_js"], site.tokens["mgr_js"] = create_user(db, settings, "manager", name="js", province="江苏省")
    return "mgr_js"


def test_alert_list_export_with_filters_safe_cells_and_audit(site: Site, db, settings) -> None:
    write(db, settings, "MATCH (a:Alert {alert_id: $a}) SET a.summary = '=HYPERLINK(\"http://x\")李明'", a=CL2_ALERT)
    rows = _body(_sheet(site.get("inspector", "/api/alerts/export.xlsx", params={"severity": "high"})), "预警编号")
    assert [r[0] for r in rows] == [CL2_ALERT]
    (row,) = rows
    assert row[6] == "'=HYPERLINK(\"http://x\")李明" and P2 in row[7] and UNIT_A in row[8]
    assert len(_body(_sheet(site.get("inspector", "/api/alerts/export.xlsx")), "预警编号")) == 2
    audit = read(db, settings, "MATCH (e:AuditEvent {action: 'export_alerts'}) RETURN e.user_id AS u")
    assert {"u": site.user_ids["inspector"]} in audit
    assert site.get("manager", "/api/alerts/export.xlsx").status_code == 404
    assert site.get("hr_a", "/api/alerts/export.xlsx").status_code == 404


def test_credit_export_keeps_to_the_scope(site: Site, js_manager: str) -> None:
    everyone = _body(_sheet(site.get("manager", "/api/credit/export.xlsx")), "统一社会信用代码")
    assert sorted(r[0] for r in everyone) == sorted([UNIT_A, UNIT_B])
    assert [r[0] for r in _body(_sheet(site.get(js_manager, "/api/credit/export.xlsx")), "统一社会信用代码")] == [UNIT_B]
    assert [r[0] for r in _body(_sheet(site.get("hr_a", "/api/credit/export.xlsx")), "统一社会信用代码")] == [UNIT_A]
    grade_b = next(r[4] for r in everyone if r[0] == UNIT_B)
    graded = _body(_sheet(site.get("manager", "/api/credit/export.xlsx", params={"grade": grade_b})), "统一社会信用代码")
    assert UNIT_B in [r[0] for r in graded] and {r[4] for r in graded} == {grade_b}


def test_draw_export(site: Site, js_manager: str) -> None:
    rows = _sheet(site.get("inspector", "/api/inspect/draw.xlsx", params={"n": 2, "seed": 7}))
    assert "随机种子 7" in rows[0][0]
    assert sorted(r[1] for r in _body(rows, "seq")) == sorted([UNIT_A, UNIT_B])
    again = _sheet(site.get("inspector", "/api/inspect/draw.xlsx", params={"n": 2, "seed": 7}))
    assert _body(again, "seq") == _body(rows, "seq")  # reproducible from the seed
    mine = _body(_sheet(site.get(js_manager, "/api/inspect/draw.xlsx", params={"n": 1, "seed": 7})), "seq")
    assert [r[1] for r in mine] == [UNIT_B]
    assert site.get("hr_a", "/api/inspect/draw.xlsx", params={"n": 1, "seed": 1}).status_code == 404


def test_case_report_pdf(site: Site, db, settings) -> None:
    site.post("inspector", f"/api/alerts/{CL2_ALERT}/status", json={"status": "confirmed", "comment": "核实属实"})
    r = site.get("inspector", f"/api/alerts/{CL2_ALERT}/report.pdf")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    compact = "".join(text.split())
    assert CL2_ALERT in compact and "预警核查报告" in compact
    assert P2 in compact and "李明" in compact  # an inspector sees the person in full
    assert "核实属实" in compact  # the events
    assert read(db, settings, "MATCH (e:AuditEvent {action: 'export_report'}) RETURN e.target AS t") == [
        {"t": CL2_ALERT}]
    assert site.get("manager", f"/api/alerts/{CL2_ALERT}/report.pdf").status_code == 404
    assert site.get("inspector", "/api/alerts/NO-SUCH/report.pdf").status_code == 404
