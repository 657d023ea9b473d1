"use strict";
(async () => {
  const { h, fill, table } = PT;
  const main = PT.$("#main");
  try { await PT.init("credit"); } catch (e) { return; }
  const out = h("div", {});
  const yellow = h("div", {});
  const sel = h("select", { name: "grade" }, ["", "A", "B", "C", "D"].map(g => h("option", { value: g }, g || "全部等级")));
  const num = (v) => typeof v === "number" ? v.toFixed(3) : PT.val(v);
  const cols = [["单位", r => PT.unitLink(r.unit_id, r.name || r.unit_name || r.unit_id)], ["省份", r => r.province],
    ["等级", r => h("span", { class: "badge st-" + ({ A: "closed", B: "open", C: "dismissed", D: "confirmed" }[r.grade || r.credit_grade] || "open") }, r.grade || r.credit_grade || "—")],
    ["综合指数", r => num(r.index ?? r.credit_index ?? r.composite)], ["信用积分", r => num(r.credit_points ?? r.points)],
    ["主要因素", r => h("span", { class: "small" }, PT.factorLines(r.factors).slice(0, 3).map(x => h("div", {}, x)))]];
  async function load() {
    fill(out, h("div", { class: "empty" }, "加载中…"));
    try {
      const r = await PT.api("/api/credit?limit=300" + (sel.value ? "&grade=" + sel.value : ""));
      fill(out, h("p", { class: "small muted" }, `共 ${r.count} 家单位` + (r.count > r.data.length ? `，显示前 ${r.data.length} 家` : "")), table(cols, r.data, "暂无信用评价（请先运行 plantalent credit）"));
    } catch (e) { PT.fail(out, e); }
  }
  sel.addEventListener("change", load);
  fill(main, h("h1", {}, "单位信用评价"),
    h("div", { class: "card" }, h("div", { class: "row" }, h("h2", {}, "黄名单"), h("span", { class: "muted small" }, "信用等级为 D 或存在高风险未结预警的单位")), yellow),
    h("div", { class: "card" }, h("div", { class: "row" }, h("h2", {}, "信用等级"), h("span", { class: "spacer" }), sel), out));
  load();
  try {
    const y = await PT.api("/api/yellow-list");
    fill(yellow, table([["单位", r => PT.unitLink(r.unit_id, r.name || r.unit_name || r.unit_id)], ["省份", r => r.province], ["等级", r => r.grade || r.credit_grade],
      ["列入日期", r => PT.fmtDate(r.entered)], ["原因", r => Array.isArray(r.reasons) ? r.reasons.join("；") : (r.reason || "—")]], y.data, "黄名单为空"));
  } catch (e) { PT.fail(yellow, e); }
})();
