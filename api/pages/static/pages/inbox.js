"use strict";
(async () => {
  const { h, fill, table } = PT;
  const main = PT.$("#main");
  try { await PT.init("inbox"); } catch (e) { return; }
  const KIND = { new_alerts: "新预警", assigned: "分派", overdue: "核查逾期", deadline: "整改逾期", dispute_filed: "新异议", dispute_resolved: "异议结果" };
  const out = h("div", {});
  async function read(ids) {
    try { await PT.api("/api/inbox/read", { method: "POST", body: { notice_ids: ids } }); } catch (e) { PT.toast(e.message, true); }
    PT.refreshInbox();
  }
  async function load() {
    let r;
    try { r = await PT.api("/api/inbox?limit=200"); } catch (e) { return PT.fail(out, e); }
    fill(out, h("p", { class: "small muted" }, `共 ${r.count} 条，未读 ${r.unread} 条`), table([
      ["时间", n => String(n.at || "").replace("T", " ").slice(0, 16)], ["类别", n => KIND[n.kind] || n.kind],
      ["内容", n => h("a", { href: n.link || "#", class: "notice" + (n.read ? "" : " unread"), onclick: () => read([n.notice_id]) }, n.title)],
      ["状态", n => n.read ? "已读" : h("b", {}, "未读")]], r.data, "暂无消息"));
  }
  fill(main, h("div", { class: "row" }, h("h1", {}, "消息"), h("span", { class: "spacer" }),
    h("button", { class: "ghost", id: "read-all", onclick: async () => { await read([]); load(); } }, "全部标为已读")),
    h("div", { class: "card" }, out));
  load();
})();
