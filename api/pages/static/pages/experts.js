"use strict";
(async () => {
  const { h, fill, table } = PT;
  const main = PT.$("#main");
  try { await PT.init("experts"); } catch (e) { return; }
  const LEVELS = ["", "国家级", "省级", "市级"];
  const sel = (name, opts) => h("select", { name }, opts.map(o => h("option", { value: o }, o || "全部")));
  const tags = (r) => {
    const list = r.tags || r.matched_tags || [];
    return h("span", {}, (r.fields || []).map(f => h("span", { class: "chip" }, f)),
      list.slice(0, 6).map(t => h("span", { class: "chip struct" }, typeof t === "string" ? t : (t.label || t.tag_id))));
  };
  const reasons = (r) => { const rs = (r.reasons && r.reasons.length) ? r.reasons : (r.matched || []);
    return rs.length ? h("ul", { class: "reasons" }, rs.map(x => h("li", {}, typeof x === "string" ? x : JSON.stringify(x)))) : "—"; };
  const cols = [
    ["姓名", r => PT.personLink(r)], ["级别", r => r.level], ["专业领域 / 标签", tags],
    ["所在单位", r => r.unit_id ? PT.unitLink(r.unit_id, r.unit_name || r.unit_id) : (r.unit_name || "—")], ["省份", r => r.province],
    ["匹配度", r => typeof r.score === "number" ? r.score.toFixed(3) : "—"], ["依据", reasons],
  ];

  // --- search ---
  const results = h("div", {});
  const form = h("form", { class: "filters", id: "search-form" },
    h("label", { class: "f" }, "关键词（姓名、专业、标签）", h("input", { name: "q", id: "q", placeholder: "如：国土空间总体规划 生态修复", size: 34 })),
    h("label", { class: "f" }, "省份", h("input", { name: "province", placeholder: "如：浙江省", size: 10 })),
    h("label", { class: "f" }, "专家级别", sel("level", LEVELS)),
    h("label", { class: "f" }, "专业领域", h("input", { name: "field", placeholder: "如：城乡规划", size: 12 })),
    h("button", { type: "submit", id: "search-btn" }, "检索"));
  async function search(page) {
    const fd = new FormData(form);
    const p = new URLSearchParams({ page: String(page), page_size: "20" });
    for (const k of ["q", "province", "level", "field"]) { const v = (fd.get(k) || "").trim(); if (v) p.set(k, v); }
    fill(results, h("div", { class: "empty" }, "检索中…"));
    try {
      const r = await PT.api("/api/experts/search?" + p);
      fill(results, table(cols, r.data, "没有符合条件的专家"), PT.pager(page, 20, r.count, search));
    } catch (e) { PT.fail(results, e); }
  }
  form.addEventListener("submit", (ev) => { ev.preventDefault(); search(1); });

  // --- recommendation ---
  const recOut = h("div", {});
  const rec = h("form", { id: "rec-form" },
    h("label", { class: "f" }, "评审任务描述", h("textarea", { name: "text", required: true, placeholder: "如：某市国土空间总体规划（2021-2035年）成果技术审查，重点关注耕地保护与生态修复" })),
    h("div", { class: "filters", style: "margin-top:8px" },
      h("label", { class: "f" }, "规划类型", h("input", { name: "plan_type", placeholder: "如：总体规划", size: 12 })),
      h("label", { class: "f" }, "项目层级", sel("level", ["", "省级", "市级", "县级", "乡镇级"])),
      h("label", { class: "f" }, "省份", h("input", { name: "province", size: 10 })),
      h("label", { class: "f" }, "回避单位（输入名称选择，或填统一社会信用代码，逗号分隔）", PT.suggest(h("input", { name: "exclude", id: "exclude", size: 40 }), ["units"], (x) => {
        const el = PT.$("#exclude");
        const parts = el.value.split(/[,，;；]+/).map(s => s.trim()).filter(Boolean);
        parts.pop();  // the name being typed becomes the chosen unit's code
        parts.push(x.unit_id);
        el.value = parts.join(", ") + ", ";
        PT.toast("已加入回避：" + x.name);
      }, (v) => v.split(/[,，;；]/).pop())),
      h("label", { class: "f" }, "人数", h("input", { name: "k", type: "number", min: 1, max: 50, value: 7, style: "width:70px" })),
      h("button", { type: "submit", id: "rec-btn" }, "推荐专家组")));
  rec.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const fd = new FormData(rec);
    const body = { text: fd.get("text"), k: Number(fd.get("k") || 7),
      exclude_unit_ids: String(fd.get("exclude") || "").split(/[,，;；\s]+/).filter(Boolean) };
    for (const k of ["plan_type", "level", "province"]) { const v = String(fd.get(k) || "").trim(); if (v) body[k] = v; }
    fill(recOut, h("div", { class: "empty" }, "推荐中…"));
    try {
      const r = await PT.api("/api/experts/recommend", { method: "POST", body });
      const recCols = [cols[0], ["匹配度", x => typeof x.score === "number" ? x.score.toFixed(3) : "—"], ["推荐理由", reasons]];
      fill(recOut, h("h3", {}, `推荐专家（${r.experts.length}）`), table(recCols, r.experts, "没有可推荐的专家"),
        h("h3", {}, `回避 / 排除（${r.excluded.length}）`),
        table([["专家编号", x => x.expert_id], ["姓名", x => x.name ? PT.personLink(x) : "—"],
          ["原因", x => Array.isArray(x.reason) ? x.reason.join("；") : (x.reason || x.reasons)]], r.excluded.slice(0, 50), "无"));
    } catch (e) { PT.fail(recOut, e); }
  });

  const tabSearch = h("div", { class: "card" }, h("h2", {}, "专家检索"), form, h("div", { style: "margin-top:12px" }, results));
  const tabRec = h("div", { class: "card", style: "display:none" }, h("h2", {}, "组建评审专家组（含利益冲突回避）"), rec, h("div", { style: "margin-top:12px" }, recOut));
  const b1 = h("button", { class: "on", onclick: () => { tabSearch.style.display = ""; tabRec.style.display = "none"; b1.className = "on"; b2.className = ""; } }, "专家检索");
  const b2 = h("button", { onclick: () => { tabSearch.style.display = "none"; tabRec.style.display = ""; b2.className = "on"; b1.className = ""; } }, "专家组推荐");
  fill(main, h("h1", {}, "专家检索与推荐"), h("div", { class: "tabs" }, b1, b2), tabSearch, tabRec);
  if (PT.param("q")) { form.q.value = PT.param("q"); }
  search(1);
})();
