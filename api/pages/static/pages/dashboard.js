"use strict";
(async () => {
  const { h, fill, bars, kpi } = PT;
  const main = PT.$("#main");
  let u;
  try { u = await PT.init("dashboard"); } catch (e) { return; }
  let s;
  try { s = await PT.api("/api/stats"); } catch (e) { return PT.fail(main, e); }
  const SECTION = { units: "规划单位", registered: "注册规划师", projects: "规划项目", alerts: "预警", yellow_list: "黄名单", staff: "本单位人员", entities: "数据总量" };
  const KEY = {
    by_province: "按省份", by_region: "按区域", by_credit_grade: "按信用等级", by_qualification: "按资质等级",
    distribution: "单位注册规划师人数分布", by_level: "按规划层级", by_status: "按状态", by_rule: "按预警规则",
    by_severity: "按严重程度", by_plan_type: "按规划类型", by_plan_level: "按规划层级", by_title: "按职称", by_education: "按学历", by_type: "按类型",
  };
  const ENT = { units: "单位", organisations: "组织", persons: "人员", registrations: "注册", employments: "任职", insurance_periods: "社保",
    experts: "专家", projects: "项目", project_members: "项目成员", applications: "资质申请", application_staff: "申报人员",
    awards: "奖项", violations: "违规", reorganizations: "重组" };
  const labeler = (section, key) => {
    if (key === "by_rule") return (k) => PT.ruleName(k);
    if (key === "by_severity") return (k) => PT.SEV[k] || k;
    if (key === "by_status" && section === "alerts") return (k) => PT.STATUS[k] || k;
    return null;
  };
  const title = h("div", { class: "row" }, h("h1", {}, s.scope === "unit" ? "本单位驾驶舱" : "行业驾驶舱"),
    h("span", { class: "spacer" }), h("span", { class: "muted small" }, s.as_of ? "统计基准日 " + s.as_of : ""));
  const kpis = [];
  const charts = [];
  const push = (label, v) => { if (typeof v === "number") kpis.push(kpi(label, v)); };
  if (s.scope === "unit" && s.staff) {
    const st = s.staff;
    push("在职人员", st.totals.staff); push("注册规划师", st.totals.registered); push("入库专家", st.totals.experts); push("承担项目", st.totals.projects);
  }
  if (s.units) push("规划单位", s.units.total);
  if (s.registered) push("注册规划师", s.registered.total);
  if (s.projects) push("规划项目", s.projects.total);
  if (s.alerts) push("预警总数", s.alerts.total);
  if (s.yellow_list) push("黄名单单位", s.yellow_list.total);
  if (s.entities && s.entities.persons !== undefined) push("人员", s.entities.persons);
  if (s.entities && s.entities.experts !== undefined) push("专家", s.entities.experts);
  for (const [sec, block] of Object.entries(s)) {
    if (!block || typeof block !== "object" || Array.isArray(block) || sec === "entities") continue;
    for (const [key, data] of Object.entries(block)) {
      if (!(key.startsWith("by_") || key === "distribution") || !data || typeof data !== "object" || Array.isArray(data)) continue;
      if (!Object.keys(data).length || key === "by_level_status") continue;
      charts.push(bars((SECTION[sec] || sec) + " · " + (KEY[key] || key), data, { labels: labeler(sec, key), limit: 16 }));
    }
  }
  if (s.entities) charts.push(bars("数据总量（按实体）", Object.fromEntries(Object.entries(s.entities).map(([k, v]) => [ENT[k] || k, v]))));
  const head = [];
  if (s.scope === "unit") head.push(h("p", {}, "单位：", PT.unitLink(u.unit_id, (s.staff && s.staff.name) || u.unit_id)));
  fill(main, title, head, h("div", { class: "grid g4" }, kpis), h("div", { class: "grid g2" }, charts));
})();
