"use strict";
(async () => {
  const { h, fill, table } = PT;
  const main = PT.$("#main");
  try { await PT.init("admin"); } catch (e) { return; }
  // ingest: the upload is a job (load, then tag → detect → credit); its state is polled until it ends
  const files = h("input", { type: "file", multiple: true, accept: ".csv,.xlsx", id: "ingest-files" });
  const snapshot = h("input", { type: "checkbox", id: "ingest-snapshot" });
  const report = h("div", { id: "job" });
  const jobs = h("div", { id: "jobs" });
  const JOB_STATUS = { queued: "排队中", running: "进行中", done: "已完成", failed: "失败", interrupted: "已中断" };
  const STAGES = { load: "导入", tag: "标签", detect: "预警检测", credit: "信用评价" };
  const stageChips = (j) => j.stages.map(s => h("span", { class: "chip" + (j.done_stages.includes(s) ? "" : s === j.stage ? " tag" : " struct") },
    (j.done_stages.includes(s) ? "✓ " : s === j.failed_stage ? "✗ " : "") + (STAGES[s] || s)));
  function showJob(j) {
    const load = (j.outcome || {}).load;
    const pct = j.progress && j.progress.percent !== null && j.progress.percent !== undefined ? ` ${j.progress.percent}%` : "";
    fill(report,
      h("p", {}, `任务 ${j.job_id}：`, h("b", { class: "job-status" }, JOB_STATUS[j.status] || j.status),
        j.stage ? ` · 当前阶段 ${STAGES[j.stage] || j.stage}${pct}` + (j.progress && j.progress.note ? `（${j.progress.note}）` : "") : ""),
      h("div", {}, stageChips(j)),
      j.error ? h("p", { class: "small", style: "color:#b3261e" }, `失败于「${STAGES[j.failed_stage] || j.failed_stage || "—"}」阶段：${j.error}；此前的阶段已完成。`) : null,
      load ? h("p", {}, `批次 ${load.load_id || "—"}：共 ${load.rows} 行，导入 ${load.loaded} 行，未变 ${load.unchanged} 行，拒绝 ${load.rejected} 行，退役 ${load.retired} 条`) : null,
      load ? (load.notes || []).map(n => h("p", { class: "small muted" }, n)) : null,
      load ? table([["文件", e => e.file], ["行", e => e.line], ["列", e => e.column], ["值", e => e.value], ["原因", e => e.reason]], load.errors, "没有错误行") : null);
  }
  async function follow(id) {
    for (;;) {
      let j;
      try { j = await PT.api("/api/jobs/" + encodeURIComponent(id)); } catch (e) { return PT.fail(report, e); }
      showJob(j);
      if (!["queued", "running"].includes(j.status)) { loadJobs(); return; }
      await new Promise(r => setTimeout(r, 1000));
    }
  }
  async function loadJobs() {
    try {
      const r = await PT.api("/api/jobs?limit=10");
      fill(jobs, table([["任务", j => h("a", { href: "#", onclick: (ev) => { ev.preventDefault(); follow(j.job_id); } }, j.job_id)],
        ["类型", j => j.kind === "ingest" ? "导入并刷新" : "刷新"], ["状态", j => JOB_STATUS[j.status] || j.status],
        ["阶段", j => h("span", {}, stageChips(j))], ["提交", j => String(j.created_at || "").replace("T", " ").slice(0, 19)],
        ["提交人", j => j.requested_by]], r.data, "暂无任务"));
    } catch (e) { PT.fail(jobs, e); }
  }
  const upload = h("button", { onclick: async () => {
    if (!files.files.length) return PT.toast("请选择 CSV / XLSX 文件", true);
    const fd = new FormData();
    for (const f of files.files) fd.append("files", f, f.name);
    fill(report, h("div", { class: "empty" }, "上传中…"));
    try {
      const j = await PT.api("/api/ingest" + (snapshot.checked ? "?snapshot=true" : ""), { method: "POST", body: fd });
      follow(j.job_id);
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
    h("div", { class: "card" }, h("h2", {}, "数据导入"), h("p", { class: "small muted" }, "选择一个或多个文件（units.csv、persons.xlsx 等，列名见用户手册），上传后按同一规则校验导入；错误行不会写入。导入后自动更新标签、预警与信用评价；同时提交的任务依次执行。"),
      h("div", { class: "row" }, files, h("label", { class: "small" }, snapshot, " 完整快照（文件中已不存在的记录将退役）"), upload), report,
      h("h3", {}, "最近的任务"), jobs),
    h("div", { class: "card" }, h("h2", {}, "用户与令牌"), h("div", { class: "row" }, role, unit, uname, add), created, users),
    h("div", { class: "card" }, h("h2", {}, "审计日志"), h("p", { class: "small muted" }, "记录所有明文查看（画像、预警、人员名单）与预警处置、数据导入、用户创建。"), audit));
  loadUsers(); loadAudit(1); loadJobs();
})();
