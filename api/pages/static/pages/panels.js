"use strict";
/* 评审专家组: build a batch of panels, assign them (optimal / random draw), see each rule met or
   broken, export the rosters (XLSX), save a roster, rate its members after the review. */
(async () => {
  const { h, fill, table } = PT;
  const main = PT.$("#main");
  let me;
  try { me = await PT.init("panels"); } catch (e) { return; }
  const canKeep = me.role === "manager" || me.role === "admin";
  const RULES = [
    ["max_per_unit", "同一单位至多（人）", 1], ["min_outside_province", "省外专家至少（人）", 1],
    ["min_senior", "国家级/正高级至少（人）", 1], ["max_panels_per_expert", "每位专家本批至多（组）", 1],
    ["cooldown_days", "回避间隔（天）", 90],
  ];
  const RULE_LABEL = Object.fromEntries(RULES.map(([k, l]) => [k, l.replace(/（.*）/, "")]));
  RULE_LABEL.k = "人数";
  const today = new Date().toISOString().slice(0, 10);
  const num = (name, value, attrs = {}) => h("input", Object.assign({ name, type: "number", min: 0, value, style: "width:80px" }, attrs));

  // --- the batch ---
  const settings = h("form", { class: "filters", id: "batch-form" },
    h("label", { class: "f" }, "评审日期", h("input", { name: "as_of", type: "date", value: today })),
    h("label", { class: "f" }, "方式", h("select", { name: "mode", id: "mode" },
      h("option", { value: "optimal" }, "最优分配（求解器）"), h("option", { value: "random" }, "随机抽取（可复现）"))),
    h("label", { class: "f" }, "随机种子", num("seed", 20240101, { style: "width:120px" })),
    h("label", { class: "f" }, "每组备选", num("alternates", 2, { max: 10 })),
    RULES.map(([k, label, v]) => h("label", { class: "f" }, label, num(k, v, { placeholder: "不限" }))));

  const rows = h("tbody", {});
  const addRow = (p = {}) => {
    const tr = h("tr", {},
      h("td", {}, h("input", { name: "panel_id", value: p.panel_id || "", placeholder: "如 PS-2025-01", required: true })),
      h("td", { style: "width:34%" }, h("input", { name: "text", value: p.text || "", placeholder: "评审事项", required: true })),
      h("td", { style: "width:70px" }, h("input", { name: "k", type: "number", min: 1, max: 50, value: p.k || 5 })),
      h("td", {}, h("input", { name: "province", value: p.province || "", placeholder: "如：浙江省" })),
      h("td", {}, h("select", { name: "level" }, ["", "省级", "市级", "县级", "乡镇级"].map(l =>
        h("option", { value: l, selected: l === (p.level || "") }, l || "—")))),
      h("td", {}, h("input", { name: "exclude", value: (p.exclude_unit_ids || []).join(","), placeholder: "统一社会信用代码，逗号分隔" })),
      h("td", {}, h("button", { type: "button", class: "ghost", onclick: () => tr.remove() }, "删除")));
    rows.appendChild(tr);
  };
  addRow({ panel_id: "PS-01", text: "某市国土空间总体规划（2021-2035年）成果技术审查", k: 5, province: "浙江省", level: "市级" });
  addRow({ panel_id: "PS-02", text: "实用性村庄规划成果评审", k: 5, province: "浙江省", level: "县级" });
  const panelTable = h("table", { class: "panel-rows" },
    h("thead", {}, h("tr", {}, ["编号", "评审事项", "人数", "省份", "项目层级", "回避单位", ""].map(c => h("th", {}, c)))), rows);

  function batch() {
    const fd = new FormData(settings);
    const body = { as_of: fd.get("as_of") || today, mode: fd.get("mode"), alternates: Number(fd.get("alternates") || 0),
      seed: Number(fd.get("seed") || 0), constraints: {}, panels: [] };
    for (const [k] of RULES) { const v = String(fd.get(k) || "").trim(); if (v !== "") body.constraints[k] = Number(v); }
    for (const tr of rows.querySelectorAll("tr")) {
      const get = (n) => String(tr.querySelector(`[name=${n}]`).value || "").trim();
      const p = { panel_id: get("panel_id"), text: get("text"), k: Number(get("k") || 1),
        exclude_unit_ids: get("exclude").split(/[,，;；\s]+/).filter(Boolean) };
      if (get("province")) p.province = get("province");
      if (get("level")) p.level = get("level");
      body.panels.push(p);
    }
    return body;
  }

  // --- results ---
  const out = h("div", { id: "result" });
  const score = (x) => typeof x.score === "number" ? x.score.toFixed(3) : "—";
  const reasons = (r) => (r.reasons || []).length ? h("ul", { class: "reasons" }, r.reasons.slice(0, 4).map(x => h("li", {}, x))) : "—";
  const cols = [["姓名", r => PT.personLink(r)], ["专家编号", r => r.expert_id], ["级别", r => r.level],
    ["国家级/正高级", r => r.senior ? "是" : "否"],
    ["所在单位", r => r.unit_id ? PT.unitLink(r.unit_id, r.unit_name || r.unit_id) : (r.unit_name || "—")],
    ["省份", r => r.province], ["匹配度", score], ["依据", reasons]];
  const check = (c) => h("span", { class: "chip " + (c.met ? "met" : "broken") },
    `${c.met ? "✓" : "✗"} ${RULE_LABEL[c.constraint] || c.constraint}：要求${c.required}，实际${c.actual}`);

  function panelCard(p, body) {
    const saveBtn = canKeep ? h("button", { class: "ok", onclick: async (ev) => {
      ev.target.disabled = true;
      try {
        const roster = { as_of: body.as_of, text: p.text, province: p.province || null, level: p.level || null,
          exclude_unit_ids: p.exclude_unit_ids || [], experts: p.experts.map(e => e.expert_id),
          alternates: p.alternates.map(e => e.expert_id), mode: body.mode, draw_id: body.draw_id || null };
        await PT.api(`/api/panels/${encodeURIComponent(p.panel_id)}/save`, { method: "POST", body: roster });
        PT.toast(`评审组 ${p.panel_id} 名单已保存`); loadSaved();
      } catch (e) { PT.toast(e.message, true); ev.target.disabled = false; }
    } }, "保存名单") : null;
    return h("div", { class: "card panel-result", "data-panel": p.panel_id },
      h("h2", {}, `${p.panel_id} · ${p.text}`),
      h("div", { class: "muted small" }, `${p.experts.length} 人 · 合格候选 ${p.candidates} 人 · 相关度合计 ${p.objective.toFixed(3)}`),
      h("div", { class: "checks", style: "margin:6px 0" }, (p.checks || []).length ? p.checks.map(check) : h("span", { class: "muted small" }, "未设约束")),
      table(cols, p.experts), p.alternates.length ? [h("h3", {}, `备选（${p.alternates.length}）`), table(cols, p.alternates)] : null,
      h("details", { class: "excluded" }, h("summary", {}, `回避 / 排除（${p.excluded.length}）`),
        table([["专家编号", x => x.expert_id], ["原因", x => x.reason]], p.excluded, "无")),
      saveBtn);
  }

  async function assign(ev) {
    ev.preventDefault();
    const body = batch();
    fill(out, h("div", { class: "empty" }, "组建中…"));
    try {
      const r = await PT.api("/api/panels/assign", { method: "POST", body });
      body.draw_id = r.draw_id;
      const head = h("div", { class: "card" }, h("h2", {}, "组建结果"),
        h("div", {}, `${r.panels.length} 个评审组已组建，${r.infeasible.length} 个无法组建 · `,
          r.mode === "random" ? `随机抽取，种子 ${body.seed}，抽取记录 ` : `最优分配${r.optimal ? "（已证明最优）" : ""}，相关度合计 ${r.objective.toFixed(3)}`,
          r.draw_id ? h("a", { href: "#", id: "draw-link", onclick: (e) => { e.preventDefault(); showDraw(r.draw_id); } }, r.draw_id) : null),
        h("div", { id: "draw" }));
      const bad = r.infeasible.length ? h("div", { class: "card infeasible", id: "infeasible" }, h("h2", {}, "无法组建的评审组"),
        table([["评审组", x => x.panel_id], ["约束", x => RULE_LABEL[x.constraint] || x.constraint], ["原因", x => x.reason]], r.infeasible)) : null;
      fill(out, head, bad, r.panels.map(p => panelCard(p, body)));
    } catch (e) { PT.fail(out, e); }
  }

  async function showDraw(id) {
    try {
      const d = await PT.api(`/api/panels/draws/${encodeURIComponent(id)}`);
      fill("#draw", h("p", { class: "muted small" }, `抽取方法：${d.record.method}；记录时间 ${d.recorded_at}`),
        d.record.panels.map(p => h("div", {}, h("h3", {}, `${p.panel_id}：候选 ${p.candidates.length} 人`),
          table([["席位", s => s.seat], ["可抽人数", s => s.eligible.length], ["抽中序号", s => s.index + 1], ["抽中专家", s => s.drawn]], p.steps))));
    } catch (e) { PT.toast(e.message, true); }
  }

  async function exportXlsx() {
    const r = await fetch("/api/panels/export.xlsx", { method: "POST", body: JSON.stringify(batch()),
      headers: { Authorization: "Bearer " + PT.token(), "Content-Type": "application/json" } });
    if (!r.ok) { let b = null; try { b = await r.json(); } catch (e) { b = null; } PT.toast((b && b.detail && String(b.detail)) || "导出失败", true); return; }
    const url = URL.createObjectURL(await r.blob());
    const a = h("a", { href: url, download: "评审专家组名单.xlsx" });
    document.body.appendChild(a); a.click(); a.remove(); URL.revokeObjectURL(url);
  }

  // --- saved panels and ratings ---
  const saved = h("div", { id: "saved" });
  async function loadSaved() {
    try {
      const r = await PT.api("/api/panels?page_size=20");
      fill(saved, table([["评审组", x => h("a", { href: "#", onclick: (e) => { e.preventDefault(); openSaved(x.panel_id); } }, x.panel_id)],
        ["评审事项", x => x.text], ["评审日期", x => x.as_of], ["人数", x => x.members], ["已评分", x => x.rated],
        ["方式", x => ({ optimal: "最优分配", random: "随机抽取" }[x.mode] || x.mode)]], r.data, "尚未保存评审组"),
        h("div", { id: "saved-detail" }));
    } catch (e) { PT.fail(saved, e); }
  }
  async function openSaved(id) {
    const p = await PT.api(`/api/panels/${encodeURIComponent(id)}`);
    const members = p.roster.filter(m => m.role === "member");
    const pick = (m) => h("select", { name: m.expert_id, disabled: !canKeep },
      h("option", { value: "" }, "—"), [5, 4, 3, 2, 1].map(n => h("option", { value: n, selected: m.rating === n }, `${n} 分`)));
    const form = h("form", { id: "rating-form" }, table([["姓名", m => PT.personLink(m)], ["专家编号", m => m.expert_id], ["评分（1–5）", pick]], members),
      canKeep ? h("button", { type: "submit" }, "提交评分") : null);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const ratings = members.map(m => ({ expert_id: m.expert_id, rating: Number(form.querySelector(`[name="${m.expert_id}"]`).value) }))
        .filter(x => x.rating >= 1);
      if (!ratings.length) { PT.toast("请至少选择一个评分", true); return; }
      try { await PT.api(`/api/panels/${encodeURIComponent(id)}/ratings`, { method: "POST", body: { ratings } }); PT.toast("评分已保存"); loadSaved(); }
      catch (e) { PT.toast(e.message, true); }
    });
    fill("#saved-detail", h("h3", {}, `${p.panel_id} · ${p.text}（${p.as_of}）`), form);
  }

  const form = h("form", { id: "panels-form" }, settings, h("h3", {}, "评审组"), panelTable,
    h("div", { style: "margin-top:8px;display:flex;gap:8px" },
      h("button", { type: "button", class: "ghost", onclick: () => addRow({ k: 5 }) }, "添加评审组"),
      h("button", { type: "submit", id: "assign-btn" }, "组建评审专家组"),
      h("button", { type: "button", id: "export-btn", class: "ghost", onclick: exportXlsx }, "导出名单（XLSX）")));
  form.addEventListener("submit", assign);
  fill(main, h("h1", {}, "评审专家组"),
    h("p", { class: "muted" }, "批量组建评审专家组：在库、无利益冲突的专家中，按约束条件最优分配或随机抽取（种子可复现，抽取过程留档公开）。"),
    h("div", { class: "card" }, h("h2", {}, "批次设置与约束"), form), out,
    h("div", { class: "card" }, h("h2", {}, "已保存的评审组与评分"), saved));
  loadSaved();
})();
