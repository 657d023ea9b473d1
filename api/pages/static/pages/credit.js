"use strict";
(async () => {
  const { h, fill, table } = PT;
  const main = PT.$("#main");
  let me;
  try { me = await PT.init("credit"); } catch (e) { return; }
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
  const exportBtn = h("button", { class: "ghost", id: "btn-credit-export", onclick: async () => {
    try { await PT.download("/api/credit/export.xlsx" + (sel.value ? "?grade=" + sel.value : ""), "信用评价.xlsx"); }
    catch (e) { PT.toast(e.message, true); }
  } }, "导出 Excel");
  const n = h("input", { id: "draw-n", type: "number", min: 1, max: 500, value: 10, style: "width:80px" });
  const seed = h("input", { id: "draw-seed", type: "number", min: 0, value: new Date().getFullYear() * 100 + new Date().getMonth() + 1, style: "width:110px" });
  const draw = me.role === "unit_hr" ? null : h("div", { class: "card" }, h("h2", {}, "双随机抽查"),
    h("p", { class: "muted small" }, "按风险加权与随机相结合抽取检查对象并分配检查人员，同一随机种子结果可复现" + (me.province ? "（本省）" : "") + "。"),
    h("div", { class: "row" }, h("label", { class: "f" }, "抽取单位数", n), h("label", { class: "f" }, "随机种子", seed),
      h("button", { id: "btn-draw", onclick: async () => {
        try { await PT.download(`/api/inspect/draw.xlsx?n=${encodeURIComponent(n.value)}&seed=${encodeURIComponent(seed.value)}`, `抽查名单-${seed.value}.xlsx`); }
        catch (e) { PT.toast(e.message, true); }
      } }, "抽取并导出 Excel")));
  fill(main, h("h1", {}, "单位信用评价"),
    h("div", { class: "card" }, h("div", { class: "row" }, h("h2", {}, "黄名单"), h("span", { class: "muted small" }, "信用等级为 D 或存在高风险未结预警（待核查、已分派、已确认、整改中）的单位")), yellow),
    h("div", { class: "card" }, h("div", { class: "row" }, h("h2", {}, "信用等级"), h("span", { class: "spacer" }), sel, exportBtn), out), draw);
  load();
  try {
    const y = await PT.api("/api/yellow-list");
    fill(yellow, table([["单位", r => PT.unitLink(r.unit_id, r.name || r.unit_name || r.unit_id)], ["省份", r => r.province], ["等级", r => r.grade || r.credit_grade],
      ["列入日期", r => PT.fmtDate(r.entered)], ["原因", r => Array.isArray(r.reasons) ? r.reasons.join("；") : (r.reason || "—")]], y.data, "黄名单为空"));
  } catch (e) { PT.fail(yellow, e); }
})();
