"""Panel rosters as an XLSX workbook (openpyxl), from an assignment as the caller may see it
(already masked for masked roles by ``present``), built by api.exports.workbook."""

from __future__ import annotations

from typing import Any

from api.exports import Sheet, workbook

RULE_NAMES = {"max_per_unit": "同一单位至多", "min_outside_province": "省外专家至少", "min_senior": "国家级/正高级至少",
              "max_panels_per_expert": "每位专家至多参加评审组数", "cooldown_days": "回避间隔天数", "k": "人数"}
ROSTER = ("评审组", "评审事项", "角色", "序号", "专家编号", "姓名", "身份证号", "单位", "统一社会信用代码", "省份",
          "专家级别", "国家级/正高级", "相关度")


def roster_workbook(result: dict[str, Any]) -> bytes:
    """Three sheets: 名单 (members and alternates of each panel), 约束检查 (each rule as met),
    无法组建 (panels that could not be filled, with the binding rule)."""
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
    infeasible = [[i["panel_id"], i.get("constraint"), i.get("reason")] for i in result.get("infeasible", [])]
    return workbook(Sheet("名单", ROSTER, rows), Sheet("约束检查", ("评审组", "约束", "要求", "实际", "结果"), checks),
                    Sheet("无法组建", ("评审组", "约束", "原因"), infeasible))
