"""The printable case report of an alert (DESIGN.md Casework, exports): Chinese HTML rendered from
``templates/report_pdf.html`` (the alert, its evidence table, its evidence graph as SVG, its events)
and printed to PDF by headless Chromium (the Debian ``/usr/bin/chromium`` the page tests drive;
``--print-to-pdf``), with the Debian font WenQuanYi Zen Hei for Chinese. The graph is laid out here
with networkx (a fixed seed: the same alert gives the same picture), so the print needs no script."""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx

from api.exports import SEVERITY_ZH, STATUS_ZH
from graph.errors import Unavailable
from queries.alerts import RULE_NAMES

TEMPLATES = Path(__file__).resolve().parent / "pages" / "templates"
# A field an alert or event lacks prints as nothing (a report of older data still prints).
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.ChainableUndefined)
CHROMIUM = "/usr/bin/chromium"
PDF_TIMEOUT_S = 120
KIND_COLOURS = {"Alert": "#c0392b", "Person": "#2e86de", "Unit": "#16a085", "Org": "#7f8c8d", "Registration": "#8e44ad",
                "Employment": "#d35400", "Insurance": "#27ae60", "Project": "#f39c12", "Application": "#34495e",
                "Reorganization": "#95a5a6"}
EDGE_ZH = {"AT": "所在", "HAS_INSURANCE": "参保", "HAS_REGISTRATION": "注册", "HAS_EMPLOYMENT": "任职", "CONCERNS": "涉及",
           "MEMBER_OF": "参与", "LED_BY": "承担", "DECLARES": "申报", "BY": "申请单位", "OWNED_BY": "隶属", "FROM": "原单位",
           "TO": "新单位"}
OUTCOME_ZH = {"rectification": "责令整改", "penalty": "处罚"}
KIND_ZH = {"Alert": "预警", "Person": "人员", "Unit": "单位", "Org": "机构", "Registration": "注册", "Employment": "任职",
           "Insurance": "社保", "Project": "项目", "Application": "资质申报", "Reorganization": "重组"}


class ReportError(Unavailable):
    """The PDF could not be printed (no Chromium, or it failed)."""


def graph_svg(graph: dict[str, Any], width: int = 760, height: int = 460) -> str:
    """The evidence subgraph as an SVG drawing (spring layout, seed 1; labels cut to 18 characters)."""
    nodes, edges = graph.get("nodes") or [], graph.get("edges") or []
    if not nodes:
        return ""
    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in nodes)
    g.add_edges_from((e["source"], e["target"]) for e in edges)
    pos = nx.spring_layout(g, seed=1, k=1.6 / math.sqrt(max(len(nodes), 1)))
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    pad = 60

    def at(nid: str) -> tuple[float, float]:
        x, y = pos[nid]
        sx = pad + (x - min(xs)) / ((max(xs) - min(xs)) or 1) * (width - 2 * pad)
        sy = pad / 2 + (y - min(ys)) / ((max(ys) - min(ys)) or 1) * (height - pad)
        return round(sx, 1), round(sy, 1)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    for e in edges:
        (x1, y1), (x2, y2) = at(e["source"]), at(e["target"])
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#aab" stroke-width="1"/>')
        label = EDGE_ZH.get(e["type"], e["type"])
        parts.append(f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2:.1f}" font-size="8" fill="#889">{escape(label)}</text>')
    for n in nodes:
        x, y = at(n["id"])
        colour = KIND_COLOURS.get(n.get("kind") or "", "#555")
        label = str(n.get("label") or n["id"])
        label = label if len(label) <= 18 else label[:17] + "…"
        parts.append(f'<circle cx="{x}" cy="{y}" r="9" fill="{colour}"/>')
        parts.append(f'<text x="{x}" y="{y + 21}" font-size="10" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def evidence_rows(alert: dict[str, Any]) -> list[dict[str, str]]:
    """The evidence records as table rows: kind, the records it names, and its other facts."""
    rows = []
    for rec in alert.get("evidence") or []:
        facts = "；".join(f"{k}: {v}" for k, v in rec.items() if k not in ("kind", "ids") and v not in (None, "", []))
        rows.append({"kind": str(rec.get("kind", "")), "ids": "、".join(str(i) for i in rec.get("ids") or []),
                     "facts": facts})
    return rows


def report_html(alert: dict[str, Any], printed_by: str) -> str:
    """The report page (``alert`` as the API answers it to the caller: already masked for its role)."""
    people = [n for n in (alert.get("graph") or {}).get("nodes", []) if n.get("kind") == "Person"]
    return _ENV.get_template("report_pdf.html").render(
        a=alert, rule_name=RULE_NAMES.get(alert.get("rule") or "", ""), severity=SEVERITY_ZH.get(alert.get("severity") or "", ""),
        status=STATUS_ZH.get(alert.get("status") or "", alert.get("status")), evidence=evidence_rows(alert),
        persons=[{"id": (p.get("props") or {}).get("person_id") or p["id"].split(":", 1)[-1], "name": p.get("label")}
                 for p in people],
        svg=graph_svg(alert.get("graph") or {}), kinds=KIND_ZH, colours=KIND_COLOURS, st=STATUS_ZH, outcomes=OUTCOME_ZH,
        printed_at=datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M"), printed_by=printed_by)


def html_to_pdf(html: str, timeout_s: float = PDF_TIMEOUT_S) -> bytes:
    """Print ``html`` to PDF with headless Chromium (a private profile in a temporary folder)."""
    exe = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if exe is None:
        raise ReportError("chromium is not installed (Debian package chromium; ./run installs it)")
    with tempfile.TemporaryDirectory(prefix="plantalent-report-") as tmp:
        src, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        src.write_text(html, encoding="utf-8")
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-extensions", "--no-first-run", "--no-pdf-header-footer", f"--user-data-dir={tmp}/profile",
               f"--print-to-pdf={out}", src.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ReportError("chromium did not print the report in time") from exc
        if not out.exists() or out.stat().st_size == 0:
            raise ReportError(f"chromium could not print the report (exit {proc.returncode})")
        return out.read_bytes()
