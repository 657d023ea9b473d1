"use strict";
(async () => {
  const { h, fill, table } = PT;
  const main = PT.$("#main");
  try { await PT.init("search"); } catch (e) { return; }
  const q = (PT.param("q") || sessionStorage.getItem(PT.SEARCH_KEY) || "").trim();
  const box = PT.$("#lookup");
  if (box) box.value = q;
  if (q.length < 2) { fill(main, h("h1", {}, "查找"), h("div", { class: "empty" }, "请在顶部搜索框输入至少 2 个字符")); return; }
  let r;
  try { r = await PT.api("/api/lookup?q=" + encodeURIComponent(q)); } catch (e) { return PT.fail(main, e); }
  const MATCH = { id: "身份证号", uscc: "信用代码", phone: "电话", name: "名称", project_id: "项目编号" };
  fill(main, h("h1", {}, "查找：" + q),
    h("div", { class: "card", id: "found-persons" }, h("h2", {}, `人员（${r.persons.length}）`), table([
      ["姓名", p => PT.personLink(p)], ["身份证号", p => h("span", { class: "mono" }, p.person_id)], ["职称", p => p.title],
      ["现任职单位", p => (p.units || []).join("、")], ["匹配", p => MATCH[p.matched] || p.matched]], r.persons, "无匹配人员")),
    h("div", { class: "card", id: "found-units" }, h("h2", {}, `单位（${r.units.length}）`), table([
      ["名称", u => u.external ? u.name : PT.unitLink(u.unit_id, u.name)], ["统一社会信用代码", u => h("span", { class: "mono" }, u.unit_id)],
      ["省份", u => u.province], ["资质", u => u.grade], ["匹配", u => MATCH[u.matched] || u.matched]], r.units, "无匹配单位")),
    h("div", { class: "card", id: "found-projects" }, h("h2", {}, `项目（${r.projects.length}）`), table([
      ["项目", j => j.name], ["编号", j => j.project_id], ["省份", j => j.province], ["层级", j => j.level],
      ["承担单位", j => j.lead_unit_id ? PT.unitLink(j.lead_unit_id, j.lead_unit) : "—"], ["匹配", j => MATCH[j.matched] || j.matched]],
      r.projects, "无匹配项目")));
})();
