"use strict";
(async () => {
  const { h, fill, table } = PT;
  const main = PT.$("#main");
  try { await PT.init("admin"); } catch (e) { return; }
  // ingest
  const files = h("input", { type: "file", multiple: true, accept: ".csv,.xlsx", id: "ingest-files" });
  const report = h("div", {});
  const upload = h("button", { onclick: async () => {
    if (!files.files.length) return PT.toast("请选择 CSV / XLSX 文件", true);
    const fd = new FormData();
    for (const f of files.files) fd.append("files", f, f.name);
    fill(report, h("div", { class: "empty" }, "导入中…"));
    try {
      const r = await PT.api("/api/ingest", { method: "POST", body: fd });
      fill(report, h("p", {}, `批次 ${r.load_id || "—"}：共 ${r.rows} 行，导入 ${r.loaded} 行，拒绝 ${r.rejected} 行`),
        table([["文件", e => e.file], ["行", e => e.line], ["列", e => e.column], ["值", e => e.value], ["原因", e => e.reason]], r.errors, "没有错误行"));
    } catch (e) { PT.fail(report, e); }
  } }, "上传并导入");
  // users
  const users = h("div", {});
  const created = h("div", {});
  const role = h("select", {}, Object.entries(PT.ROLE_NAMES).map(([k, v]) => h("option", { value: k }, v)));
  const unit = h("input", { placeholder: "单位代码（单位人事必填）", size: 22 });
  const uname = h("input", { placeholder: "姓名", size: 10 });
  async function loadUsers() {
    try {
      const r = await PT.api("/api/users");
      fill(users, table([["用户", x => x.user_id], ["姓名", x => x.name], ["角色", x => PT.ROLE_NAMES[x.role] || x.role], ["单位", x => x.unit_id], ["创建时间", x => String(x.created_at || "").slice(0, 19)]], r.data));
    } catch (e) { PT.fail(users, e); }
  }
  const add = h("button", { onclick: async () => {
    const body = { role: role.value };
    if (unit.value.trim()) body.unit_id = unit.value.trim();
    if (uname.value.trim()) body.name = uname.value.trim();
    try {
      const r = await PT.api("/api/users", { method: "POST", body });
      fill(created, h("p", {}, "已创建 ", h("b", {}, r.user_id), "。令牌只显示这一次，请立即交给使用人：", h("br"), h("code", { class: "mono" }, r.token)));
      loadUsers();
    } catch (e) { PT.toast(e.message, true); }
  } }, "创建用户");
  // audit
  const audit = h("div", {});
  async function loadAudit(page) {
    try {
      const r = await PT.api("/api/audit?page_size=30&page=" + page);
      fill(audit, table([["时间", e => String(e.at || "").replace("T", " ").slice(0, 19)], ["用户", e => e.user_id], ["角色", e => PT.ROLE_NAMES[e.role] || e.role],
        ["操作", e => e.action], ["对象", e => e.target], ["详情", e => h("span", { class: "small mono" }, e.detail || "")]], r.data), PT.pager(page, 30, r.count, loadAudit));
    } catch (e) { PT.fail(audit, e); }
  }
  fill(main, h("h1", {}, "系统管理"),
    h("div", { class: "card" }, h("h2", {}, "数据导入"), h("p", { class: "small muted" }, "选择一个或多个文件（units.csv、persons.xlsx 等，列名见用户手册），上传后按同一规则校验导入；错误行不会写入。"),
      h("div", { class: "row" }, files, upload), report),
    h("div", { class: "card" }, h("h2", {}, "用户与令牌"), h("div", { class: "row" }, role, unit, uname, add), created, users),
    h("div", { class: "card" }, h("h2", {}, "审计日志"), h("p", { class: "small muted" }, "记录所有明文查看（画像、预警、人员名单）与预警处置、数据导入、用户创建。"), audit));
  loadUsers(); loadAudit(1);
})();
