"use strict";
(async () => {
  const { h, fill, table } = PT;
  const main = PT.$("#main");
  let u;
  try { u = await PT.init("unit"); } catch (e) { return; }
  const id = PT.lastSegment();
  let d, staff;
  try { [d, staff] = await Promise.all([PT.api("/api/units/" + encodeURIComponent(id)), PT.api("/api/units/" + encodeURIComponent(id) + "/staff")]); }
  catch (e) { return PT.fail(main, e); }
  const x = d.unit;
  const c = d.credit;
  const info = h("dl", { class: "kv" },
    [["统一社会信用代码", x.unit_id], ["省份 / 城市", [x.province, x.city].filter(Boolean).join(" ")], ["单位性质", x.unit_type], ["资质等级", x.grade],
     ["资质证书", x.cert_no], ["有效期至", PT.fmtDate(x.cert_valid_until)], ["法定代表人", x.legal_rep], ["联系电话", x.phone], ["电子邮箱", x.email], ["地址", x.address]]
      .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, PT.val(v))]),
    d.parent ? [h("dt", {}, "主管单位"), h("dd", {}, PT.unitLink(d.parent.unit_id, d.parent.name))] : null);
  const grade = c && (c.grade || c.credit_grade);
  const factors = c && (c.factors || c.credit_factors);
  const credit = h("div", { class: "card" }, h("h2", {}, "信用评价"),
    c ? h("div", { class: "row" }, h("span", { class: "grade grade-" + (grade || "x") }, grade || "—"),
      h("div", {}, h("div", {}, "综合指数 ", h("b", {}, typeof (c.composite ?? c.index ?? c.credit_index) === "number" ? (c.composite ?? c.index ?? c.credit_index).toFixed(3) : "—")),
        h("div", { class: "small muted" }, "评价基准日 ", PT.fmtDate(c.as_of || c.credit_as_of)))) : h("div", { class: "empty" }, "尚未评价"),
    PT.factorLines(factors).length ? h("div", { class: "small", style: "margin-top:8px" }, PT.factorLines(factors).map(f => h("div", {}, f))) : null);
  const staffCols = [["姓名", r => PT.personLink(r)], ["身份证号", r => h("span", { class: "mono small" }, r.person_id)], ["职称", r => r.title], ["学历", r => r.education],
    ["注册规划师", r => r.registered ? "是" : "否"], ["专家", r => r.expert_level || "—"], ["在职", r => r.current ? "在职" : "已离开"],
    ["记录", r => h("span", { class: "small" }, r.records.map(rec => h("span", { class: "chip" }, (rec.kind === "employment" ? "任职 " : "注册 ") + PT.fmtDate(rec.start) + "~" + (rec.end ? PT.fmtDate(rec.end) : "至今"))))]];
  const filter = h("input", { placeholder: "按姓名筛选", size: 14, oninput: () => {
    const q = filter.value.trim();
    fill(staffBox, table(staffCols, staff.data.filter(r => !q || (r.name || "").includes(q)), "无人员"));
  } });
  const staffBox = h("div", {}, table(staffCols, staff.data, "无人员"));
  fill(main,
    h("h1", {}, x.name || x.unit_id, " ", x.grade ? h("span", { class: "chip" }, x.grade) : null),
    h("div", { class: "grid g4" }, PT.kpi("在职人员", d.staff_current), PT.kpi("注册规划师（在册）", d.registered_current), PT.kpi("本单位参保人数", d.insured_current), PT.kpi("承担项目", d.project_count)),
    h("div", { class: "grid g2" }, h("div", { class: "card" }, h("h2", {}, "单位信息"), info), credit),
    d.open_alerts && d.open_alerts.length ? h("div", { class: "card" }, h("h2", {}, "待核查预警"), table([["严重程度", a => PT.sevBadge(a.severity)], ["规则", a => PT.ruleName(a.rule)],
      ["摘要", a => h("a", { href: "/alerts/" + encodeURIComponent(a.alert_id) }, a.summary || a.alert_id)]], d.open_alerts)) : null,
    h("div", { class: "card" }, h("div", { class: "row" }, h("h2", {}, `人员（${staff.count}）`), h("span", { class: "spacer" }), filter),
      u.role === "unit_hr" ? h("p", { class: "small muted" }, "仅显示当前在本单位任职或注册的人员。") : null, staffBox),
    h("div", { class: "card" }, h("h2", {}, "承担项目"), table([["项目", r => r.name], ["层级", r => r.level], ["类型", r => r.plan_type], ["地区", r => [r.province, r.city].filter(Boolean).join(" ")],
      ["开始", r => PT.fmtDate(r.start_date)], ["状态", r => r.status]], d.projects, "无项目")),
    h("div", { class: "grid g2" },
      h("div", { class: "card" }, h("h2", {}, "获奖"), table([["奖项", r => r.name], ["等级", r => r.level], ["年度", r => r.year]], d.awards, "无")),
      h("div", { class: "card" }, h("h2", {}, "违规处罚"), table([["类别", r => r.category], ["严重程度", r => r.severity], ["日期", r => PT.fmtDate(r.decided)], ["处罚", r => r.penalty]], d.violations, "无"))),
    PT.historyCard(d.history, d.source));
})();
