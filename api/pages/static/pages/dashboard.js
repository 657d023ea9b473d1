"use strict";
(async () => {
  const { h, fill, bars, kpi } = PT;
  const main = PT.$("#main");
  let u;
  try { u = await PT.init("dashboard"); } catch (e) { return; }
  if (u.role === "unit_hr") return roster();
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

  /* Unit HR's home: its staff this month, registration / employment / insurance side by side. */
  async function roster() {
    let r;
    try { r = await PT.api("/api/units/" + encodeURIComponent(u.unit_id) + "/roster"); } catch (e) { return PT.fail(main, e); }
    const ST = { open: "异议待处理", upheld: "异议成立", rejected: "异议不成立" };
    const recs = (list, text, none) => list.length ? list.map(x => h("div", { class: x.own ? "" : "bad", title: x.own ? "本单位" : "外单位" },
      text(x), x.own ? "" : "（外单位）")) : h("span", { class: none || "bad" }, "无");
    const span = (x) => PT.fmtDate(x.from) + "～" + (x.to ? PT.fmtDate(x.to) : "至今");
    const disputed = r.data.reduce((n, p) => n + p.disputes.filter(d => d.status === "open").length, 0);
    const cols = [
      ["姓名", p => PT.personLink(p)], ["职称", p => p.title],
      ["注册", p => recs(p.registrations, x => (x.cert_no || "") + " " + (x.own ? "" : x.unit_name || "") + " " + span(x), "muted")],
      ["任职", p => recs(p.employments, x => (x.position || "") + " " + (x.own ? "" : x.unit_name || "") + " " + span(x))],
      ["社保（本月）", p => recs(p.insurance, x => (x.own ? "本单位" : x.unit_name || "") + " " + String(x.from || "").slice(0, 7) + " 起")],
      ["核对", p => p.consistent ? h("span", { class: "ok" }, "一致") : h("span", { class: "bad" }, p.issues.join("；"))],
      ["异议", p => p.disputes.length ? p.disputes.map(d => h("div", { class: "small" }, h("span", { class: "badge st-" + d.status }, ST[d.status] || d.status), " ",
        (d.kind_label || d.kind) + (d.record && (d.record.unit_name || d.record.project_name) ? "：" + (d.record.unit_name || d.record.project_name) : ""))) : "—"],
      ["", p => p.person_ref ? h("a", { href: PT.personHref(p.person_ref) + "#dispute" }, "提出异议") : ""],
    ];
    fill(main, h("div", { class: "row" }, h("h1", {}, "本单位人员（" + r.month + "）"), h("span", { class: "spacer" }),
      h("span", { class: "muted small" }, "本月在本单位任职或注册的人员，注册、任职、社保逐人对照")),
      h("div", { class: "grid g4" }, kpi("在职人员", r.count), kpi("三项一致", r.data.filter(p => p.consistent).length),
        kpi("需核对", r.data.filter(p => !p.consistent).length), kpi("待处理异议", disputed)),
      h("div", { class: "card", id: "roster" }, PT.table(cols, r.data, "本单位暂无在职人员")));
  }
})();
