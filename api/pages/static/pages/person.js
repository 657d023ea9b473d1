"use strict";
(async () => {
  const { h, fill } = PT;
  const main = PT.$("#main");
  let u;
  try { u = await PT.init("person"); } catch (e) { return; }
  const id = PT.lastSegment();
  let p;
  try { p = await PT.api("/api/persons/" + encodeURIComponent(id)); } catch (e) { return PT.fail(main, e); }

  const HIDE = new Set(["src_file", "src_line", "load_id", "loaded_at", "row_hash", "profile_hash", "embedding_hash", "profile_text", "person_ref", "person_refs"]);
  const LABEL = { name: "姓名", person_id: "身份证号", gender: "性别", birth_date: "出生日期", birth_year: "出生年份", age: "年龄", education: "学历", school: "毕业院校", major: "专业",
    title: "职称", phone: "联系电话", email: "电子邮箱", civil_servant: "公务员", retired: "退休", bio: "个人简介", unit_name: "当前单位", unit_id: "单位代码",
    level: "级别", fields: "领域", status: "状态", expert_id: "专家编号", appointed: "聘任日期", province: "省份", position: "岗位", role: "角色",
    start_date: "开始", end_date: "结束", valid_from: "注册日期", valid_to: "注销日期", start_month: "起始月", end_month: "终止月", cert_no: "证书编号",
    payer_name: "缴费单位", payer_type: "单位性质", project_id: "项目编号", plan_type: "规划类型", year: "年度", category: "类别", severity: "严重程度",
    decided: "日期", authority: "机关", penalty: "处罚", points: "扣分", description: "说明", award_id: "奖项编号", violation_id: "处罚编号", rule: "规则",
    summary: "摘要", score: "评分", kind: "类型", label: "标签", weight: "权重", from: "自", to: "至", unit: "单位", city: "城市" };
  const SECTION = { employments: "任职经历", registrations: "注册执业", insurance: "社保缴纳", insurance_periods: "社保缴纳", projects: "项目业绩",
    awards: "获奖情况", violations: "违规记录", alerts: "相关预警", applications: "资质申报", experts: "专家身份", expert: "专家身份", timeline: "时间线",
    consistency: "数据一致性检查", issues: "数据一致性检查", checks: "数据一致性检查" };
  const fmt = (v) => v === true ? "是" : v === false ? "否" : Array.isArray(v) ? v.join("、") : (v && typeof v === "object") ? JSON.stringify(v) : PT.val(v);

  function autoTable(rows) {
    const keys = [];
    for (const r of rows.slice(0, 8)) for (const [k, v] of Object.entries(r)) if (!HIDE.has(k) && !keys.includes(k) && (v === null || typeof v !== "object" || Array.isArray(v))) keys.push(k);
    return PT.table(keys.slice(0, 9).map(k => [LABEL[k] || k, r => {
      if (k === "alert_id" && r[k]) return h("a", { href: "/alerts/" + encodeURIComponent(r[k]) }, r[k]);
      if ((k === "unit_id") && r[k]) return PT.unitLink(r[k], r.unit_name || r[k]);
      if (k === "rule") return PT.ruleName(r[k]);
      return fmt(r[k]);
    }]), rows);
  }

  // Timelines: employment, registration, insurance periods drawn on one time axis.
  const startOf = (r) => r.start_date || r.valid_from || r.start_month || r.start || r.from;
  const endOf = (r) => r.end_date || r.valid_to || r.end_month || r.end || r.to;
  const whereOf = (r) => r.unit_name || r.unit || r.payer_name || r.org_name || r.unit_id || "";
  function timeline(lanes) {
    const all = lanes.flatMap(([, rows]) => rows).filter(r => startOf(r));
    if (!all.length) return null;
    const t = (d) => new Date(String(d).slice(0, 10)).getTime();
    const now = p.as_of ? t(p.as_of) : Date.now();
    const lo = Math.min(...all.map(r => t(startOf(r))));
    const hi = Math.max(now, ...all.map(r => endOf(r) ? t(endOf(r)) : now));
    const pct = (x) => (100 * (x - lo) / Math.max(1, hi - lo));
    const y0 = new Date(lo).getFullYear(), y1 = new Date(hi).getFullYear();
    const step = Math.max(1, Math.ceil((y1 - y0) / 10));
    const ticks = [];
    for (let y = y0 + 1; y <= y1; y += step) ticks.push(h("span", { style: "left:" + pct(new Date(y + "-01-01").getTime()) + "%" }, String(y)));
    return h("div", { class: "timeline" },
      lanes.filter(([, rows]) => rows.length).map(([name, rows, cls]) => h("div", { class: "lane" }, h("span", { class: "name" }, name),
        h("div", { class: "track" }, rows.filter(r => startOf(r)).map(r => {
          const a = t(startOf(r)), b = endOf(r) ? t(endOf(r)) : now;
          return h("span", { class: "seg " + cls, style: `left:${pct(a)}%;width:${Math.max(0.8, pct(b) - pct(a))}%`,
            title: `${whereOf(r)}  ${PT.fmtDate(startOf(r))} ~ ${endOf(r) ? PT.fmtDate(endOf(r)) : "至今"}${r.position ? "  " + r.position : ""}` }, whereOf(r));
        })))),
      h("div", { class: "axis" }, h("span", {}), h("div", { class: "ticks" }, ticks)));
  }

  // Shape of tagging.portrait.get_portrait: identity, education, current_units, registrations, employments,
  // insurance, projects {count, by_level, by_plan_type, by_role, items}, awards, violations,
  // expert {is_expert, in_pool, records}, tags, alerts (inspector/admin), credit {points, base, plus, minus}, collaborators.
  const base = Object.assign({}, p.identity || p.person || p.basic || {}, p.education && typeof p.education === "object" ? p.education : {});
  if (!base.person_id) base.person_id = p.person_id;
  const tags = p.tags || [];
  const emp = p.employments || [];
  const reg = p.registrations || [];
  const ins = p.insurance || p.insurance_periods || [];
  const projects = Array.isArray(p.projects) ? { items: p.projects } : (p.projects || { items: [] });
  const expert = p.expert || {};
  const expertRec = (expert.records || [])[0];
  const tl = timeline([["任职", emp, "employment"], ["注册", reg, "registration"], ["社保", ins, "insurance"]]);
  const cur = (p.current_units || []).map(c => PT.unitLink(c.unit_id, c.unit_name || c.unit_id));
  const facts = ["person_id", "gender", "birth_date", "birth_year", "education", "school", "major", "title", "phone", "email", "civil_servant", "retired"]
    .filter(k => base[k] !== undefined && base[k] !== null && base[k] !== "").flatMap(k => [h("dt", {}, LABEL[k]), h("dd", { class: k === "person_id" ? "mono" : null }, fmt(base[k]))]);
  const tagChips = tags.length ? tags.map(t => {
    const ev = Array.isArray(t.evidence) ? t.evidence : [];
    const tip = ev.slice(0, 5).map(e => (e.source || "") + (e.id ? " " + e.id : "") + "：" + (e.text || "")).join("\n");
    return h("span", { class: "chip tag " + (t.kind === "structural" ? "struct" : ""), title: tip || "无证据" },
      (t.label || t.tag_id) + (typeof t.weight === "number" ? " · " + t.weight.toFixed(2) : ""));
  }) : [h("span", { class: "muted" }, "暂无标签")];
  const credit = p.credit || null;
  // Inspectors and admins get each record's source (file, line, load): one more column.
  const rows = (list, cols, empty) => PT.table(list.some(r => r.source) ? [...cols, ["来源", r => h("span", { class: "small muted" }, PT.sourceText(r.source))]] : cols, list, empty);
  const flag = (b, yes, no) => b ? h("span", { class: "badge st-closed" }, yes) : h("span", { class: "badge st-dismissed" }, no);

  fill(main,
    h("div", { class: "card hero" }, h("div", { class: "avatar" }, (base.name || "?").slice(0, 1)),
      h("div", {}, h("h1", { style: "margin:0" }, base.name || "人员画像", " ",
        expertRec ? h("span", { class: "chip" }, (expertRec.level || "") + "专家 · " + (expertRec.status || "")) : null),
        h("div", { class: "muted" }, [base.title, base.education, base.major].filter(Boolean).join(" · "), cur.length ? " · 现任 " : "", cur)),
      h("span", { class: "spacer" }),
      credit ? h("div", { class: "kpi", style: "text-align:right" }, h("span", { class: "v" }, PT.val(credit.points)), h("span", { class: "l" }, "个人信用积分")) : null),
    h("div", { class: "grid g2" },
      h("div", { class: "card" }, h("h2", {}, "基本信息"), h("dl", { class: "kv" }, facts),
        base.bio ? h("p", { class: "small" }, base.bio) : null,
        p.masked ? h("p", { class: "small muted" }, "身份证号、出生日期、电话与邮箱已按权限脱敏显示。") : h("p", { class: "small muted" }, "明文查看已记入审计日志。")),
      h("div", { class: "card" }, h("h2", {}, "画像标签"), h("div", { id: "tags" }, tagChips),
        h("p", { class: "small muted" }, "标签由项目、奖项、简介等记录抽取；鼠标悬停查看证据。"),
        expertRec ? [h("h3", {}, "专家身份"), h("dl", { class: "kv" }, h("dt", {}, "专家编号"), h("dd", {}, expertRec.expert_id), h("dt", {}, "级别"), h("dd", {}, PT.val(expertRec.level)),
          h("dt", {}, "专业领域"), h("dd", {}, (expertRec.fields || []).map(f => h("span", { class: "chip" }, f))), h("dt", {}, "聘任日期"), h("dd", {}, PT.fmtDate(expertRec.appointed)),
          h("dt", {}, "参加评审"), h("dd", { id: "panels-served" }, `${expertRec.panels_served || 0} 次` +
            (expertRec.ratings && expertRec.ratings.count ? `，评分均值 ${expertRec.ratings.mean}（${expertRec.ratings.count} 次评分）` : "")),
          h("dt", {}, "状态记录"), h("dd", {}, (expertRec.status_history || []).length ? h("ul", { class: "reasons" }, expertRec.status_history.map(x =>
            h("li", {}, `${PT.fmtDate(x.at)} ${x.status}（${x.source === "service" ? "系统决定" : "名录导入"}${x.reason ? "：" + x.reason : ""}）`))) : "—"))] : null)),
    tl ? h("div", { class: "card" }, h("div", { class: "row" }, h("h2", {}, "执业时间线"), h("span", { class: "spacer" }), h("div", { class: "legend" },
      h("span", {}, h("i", { style: "background:#2f80d1" }), "任职"), h("span", {}, h("i", { style: "background:#1f8a4c" }), "注册"),
      h("span", {}, h("i", { style: "background:#c27c0e" }), "社保"))), tl) : null,
    h("div", { class: "grid g2" },
      h("div", { class: "card" }, h("h2", {}, "任职经历"), rows(emp, [["单位", r => PT.unitLink(r.unit_id, r.unit_name || r.unit_id)], ["岗位", r => r.position],
        ["起止", r => PT.fmtDate(r.start_date) + " ~ " + (r.end_date ? PT.fmtDate(r.end_date) : "至今")], ["", r => flag(r.current, "在职", "已离职")]], "无任职记录")),
      h("div", { class: "card" }, h("h2", {}, "注册执业"), rows(reg, [["证书编号", r => r.cert_no], ["注册单位", r => PT.unitLink(r.unit_id, r.unit_name || r.unit_id)],
        ["起止", r => PT.fmtDate(r.valid_from) + " ~ " + (r.valid_to ? PT.fmtDate(r.valid_to) : "至今")], ["", r => flag(r.active, "有效", "已注销")]], "无注册记录"))),
    h("div", { class: "card" }, h("h2", {}, "社保缴纳"), rows(ins, [["缴费单位", r => r.unit_id ? PT.unitLink(r.unit_id, r.payer_name || r.unit_id) : r.payer_name], ["单位性质", r => r.payer_type], ["参保地", r => r.province],
      ["起止", r => String(r.start_month || "").slice(0, 7) + " ~ " + (r.end_month ? String(r.end_month).slice(0, 7) : "至今")]], "无社保记录")),
    h("div", { class: "card" }, h("div", { class: "row" }, h("h2", {}, `项目业绩（${projects.count ?? (projects.items || []).length}）`), h("span", { class: "spacer" }),
      Object.entries(projects.by_level || {}).map(([k, v]) => h("span", { class: "chip" }, k + " " + v)),
      Object.entries(projects.by_role || {}).map(([k, v]) => h("span", { class: "chip struct" }, k + " " + v))),
      rows(projects.items || [], [["项目", r => r.name], ["层级", r => r.level], ["类型", r => r.plan_type], ["角色", r => r.role], ["地区", r => [r.province, r.city].filter(Boolean).join(" ")],
        ["开始", r => PT.fmtDate(r.start_date)], ["状态", r => r.status]], "无项目记录")),
    h("div", { class: "grid g2" },
      h("div", { class: "card" }, h("h2", {}, "获奖情况"), rows(p.awards || [], [["奖项", r => r.name], ["等级", r => r.level], ["年度", r => r.year]], "无获奖记录")),
      h("div", { class: "card" }, h("h2", {}, "违规记录"), rows(p.violations || [], [["类别", r => r.category], ["严重程度", r => r.severity], ["日期", r => PT.fmtDate(r.decided)],
        ["处罚", r => r.penalty], ["扣分", r => r.points]], "无违规记录"))),
    p.alerts ? h("div", { class: "card" }, h("h2", {}, "相关预警"), rows(p.alerts, [["严重程度", a => PT.sevBadge(a.severity)], ["规则", a => PT.ruleName(a.rule)],
      ["摘要", a => h("a", { href: "/alerts/" + encodeURIComponent(a.alert_id) }, a.summary || a.alert_id)], ["状态", a => PT.statusBadge(a.status)]], "无预警")) : null,
    (p.collaborators || []).length ? h("div", { class: "card" }, h("h2", {}, "主要合作者"), h("div", {}, p.collaborators.map(c =>
      h("span", { class: "chip" }, PT.personLink(c), " · 合作 " + c.shared_projects + " 个项目")))) : null,
    u.role === "unit_hr" ? PT.disputeForm(p.person_ref || p.person_id, [
      ...emp.map(r => ({ kind: "employment", key: r.record_key, label: (r.unit_name || r.unit_id) + " " + PT.fmtDate(r.start_date) + "～" + (r.end_date ? PT.fmtDate(r.end_date) : "至今") })),
      ...reg.map(r => ({ kind: "registration", key: r.record_key, label: (r.unit_name || r.unit_id) + " " + (r.cert_no || "") + " " + PT.fmtDate(r.valid_from) + "～" + (r.valid_to ? PT.fmtDate(r.valid_to) : "至今") })),
      ...ins.map(r => ({ kind: "insurance", key: r.record_key, label: (r.payer_name || r.unit_id) + " " + String(r.start_month || "").slice(0, 7) + "～" + (r.end_month ? String(r.end_month).slice(0, 7) : "至今") })),
      ...(projects.items || []).map(r => ({ kind: "membership", key: r.record_key, label: (r.name || r.project_id) + "（" + (r.role || "") + "）" })),
    ].filter(r => r.key)) : null,
    PT.historyCard(p.history, p.source));
  if (location.hash === "#dispute" && PT.$("#dispute")) PT.$("#dispute").scrollIntoView();
})();
