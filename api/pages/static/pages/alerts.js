"use strict";
(async () => {
  const { h, fill, table } = PT;
  const main = PT.$("#main");
  let me;
  try { me = await PT.init("alerts"); } catch (e) { return; }
  const opt = (map) => [h("option", { value: "" }, "全部"), ...Object.entries(map).map(([k, v]) => h("option", { value: k }, k.length === 3 ? k + " " + v : v))];
  const form = h("form", { class: "filters", id: "alert-filters" },
    h("label", { class: "f" }, "规则", h("select", { name: "rule" }, opt(PT.RULES))),
    h("label", { class: "f" }, "严重程度", h("select", { name: "severity" }, opt(PT.SEV))),
    h("label", { class: "f" }, "省份", h("input", { name: "province", size: 10 })),
    h("label", { class: "f" }, "状态", h("select", { name: "status" }, opt(PT.STATUS))),
    h("label", { class: "f" }, "单位（名称或代码）", PT.suggest(h("input", { name: "unit", id: "unit-filter", size: 22 }), ["units"], (x) => {
      form.unit.value = x.name; form.unit_id.value = x.unit_id; load(1);
    })),
    h("input", { type: "hidden", name: "unit_id" }),
    h("label", { class: "f" }, "人员（姓名或身份证号）", PT.suggest(h("input", { name: "person", id: "person-filter", size: 14 }), ["persons"], (x) => {
      form.person.value = x.name; form.person_id.value = x.person_ref; load(1);
    })),
    h("input", { type: "hidden", name: "person_id" }),
    h("label", { class: "f" }, "承办", h("select", { name: "assignee" }, h("option", { value: "" }, "全部"), h("option", { value: me.user_id }, "分派给我的"))),
    h("button", { type: "submit" }, "筛选"),
    h("button", { type: "button", class: "ghost", id: "btn-export", onclick: async () => {
      try { await PT.download("/api/alerts/export.xlsx?" + filters(), "预警清单.xlsx"); } catch (e) { PT.toast(e.message, true); }
    } }, "导出 Excel"));
  form.unit.addEventListener("change", () => { if (!form.unit.value.trim()) form.unit_id.value = ""; });
  form.person.addEventListener("change", () => { if (!form.person.value.trim()) form.person_id.value = ""; });
  form.status.value = PT.param("status") ?? "open";
  if (PT.param("rule")) form.rule.value = PT.param("rule");
  if (PT.param("assignee")) form.assignee.value = PT.param("assignee");
  if (PT.param("unit_id")) { form.unit_id.value = PT.param("unit_id"); form.unit.value = PT.param("unit_id"); }
  function filters() {
    const fd = new FormData(form);
    const p = new URLSearchParams();
    if (!String(fd.get("unit") || "").trim()) fd.set("unit_id", "");
    if (!String(fd.get("person") || "").trim()) fd.set("person_id", "");
    for (const k of ["rule", "severity", "province", "status", "unit_id", "person_id", "assignee"]) { const v = String(fd.get(k) || "").trim(); if (v) p.set(k, v); }
    return p;
  }
  const out = h("div", {});
  const cols = [
    ["严重程度", a => PT.sevBadge(a.severity)], ["规则", a => PT.ruleName(a.rule)],
    ["摘要", a => h("a", { href: "/alerts/" + encodeURIComponent(a.alert_id), class: "alert-link" }, a.summary || a.alert_id)],
    ["涉及人员", a => String((a.person_ids || []).length)], ["涉及单位", a => String((a.unit_ids || []).length)],
    ["评分", a => typeof a.score === "number" ? a.score.toFixed(2) : "—"], ["状态", a => PT.statusBadge(a.status)],
    ["承办人", a => a.assignee ? a.assignee + (a.due ? "（" + a.due + "）" : "") : "—"],
  ];
  async function load(page) {
    const p = filters();
    p.set("page", String(page)); p.set("page_size", "30");
    history.replaceState(null, "", "/alerts?" + p);
    fill(out, h("div", { class: "empty" }, "加载中…"));
    try {
      const r = await PT.api("/api/alerts?" + p);
      fill(out, table(cols, r.data, "没有符合条件的预警"), PT.pager(page, 30, r.count, load));
    } catch (e) { PT.fail(out, e); }
  }
  form.addEventListener("submit", (ev) => { ev.preventDefault(); load(1); });
  fill(main, h("h1", {}, "预警核查队列"), h("div", { class: "card" }, form), h("div", { class: "card" }, out));
  load(Number(PT.param("page") || 1));
})();
