"use strict";
(async () => {
  const { h, fill, table } = PT;
  const main = PT.$("#main");
  let u;
  try { u = await PT.init("disputes"); } catch (e) { return; }
  const hr = u.role === "unit_hr";
  const ST = { open: "待处理", upheld: "成立（已搁置）", rejected: "不成立" };
  const badge = (s) => h("span", { class: "badge st-" + s }, ST[s] || s);
  const recordText = (d) => {
    const r = d.record || {};
    const span = [r.valid_from || r.start_date || r.start_month, r.valid_to || r.end_date || r.end_month];
    return [d.kind_label || d.kind, r.unit_name || r.project_name || r.unit_id || "", r.cert_no || r.position || r.role || "",
      span[0] ? PT.fmtDate(span[0]) + "～" + (span[1] ? PT.fmtDate(span[1]) : "至今") : ""].filter(Boolean).join(" ");
  };
  const sel = h("select", { id: "dispute-status" }, [["open", "待处理"], ["", "全部"], ["upheld", "成立"], ["rejected", "不成立"]]
    .map(([v, t]) => h("option", { value: v }, t)));
  if (hr) sel.value = "";
  const out = h("div", {});
  async function resolve(d, outcome) {
    const comment = (PT.$("#c-" + d.dispute_id) || {}).value || "";
    if (outcome === "rejected" && !comment.trim()) { PT.toast("驳回异议须填写理由", true); return; }
    try {
      await PT.api("/api/disputes/" + encodeURIComponent(d.dispute_id) + "/resolve", { method: "POST", body: { outcome, comment: comment.trim() } });
      PT.toast(outcome === "upheld" ? "异议成立，记录已搁置" : "异议已驳回");
      load();
    } catch (e) { PT.toast(e.message, true); }
  }
  async function load() {
    let r;
    try { r = await PT.api("/api/disputes" + (sel.value ? "?status=" + sel.value : "")); } catch (e) { return PT.fail(out, e); }
    const cols = [["编号", d => h("span", { class: "mono small" }, d.dispute_id)], ["人员", d => PT.personLink(d, d.person_name)],
      ["提出单位", d => d.unit_name || d.unit_id], ["记录", d => recordText(d)], ["理由", d => d.reason],
      ["提出时间", d => PT.fmtDate(d.filed_at)], ["状态", d => badge(d.status)],
      ["处理", d => d.status !== "open" ? (d.resolution || "—") : hr ? "等待核查人员处理" : h("div", { class: "row" },
        h("input", { id: "c-" + d.dispute_id, placeholder: "处理意见（驳回必填）", size: 18 }),
        h("button", { class: "ok", onclick: () => resolve(d, "upheld") }, "成立"),
        h("button", { class: "ghost", onclick: () => resolve(d, "rejected") }, "驳回"))]];
    fill(out, table(cols, r.data, hr ? "本单位尚未提出异议（在人员画像或本单位人员表中对记录提出）" : "没有异议"));
  }
  sel.addEventListener("change", load);
  fill(main, h("div", { class: "row" }, h("h1", {}, hr ? "本单位异议" : "异议处理"), h("span", { class: "spacer" }), sel),
    h("p", { class: "muted small" }, hr ? "对本单位在职人员的任职、注册、社保、项目记录提出异议；异议成立后该记录不再参与预警规则、信用评价与画像。"
      : "单位人事提出的记录异议：成立则该记录被搁置（不参与规则、信用与画像，保留为历史），驳回须说明理由。"),
    h("div", { class: "card" }, out));
  load();
})();
