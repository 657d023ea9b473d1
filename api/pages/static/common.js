/* plantalent pages: token handling, API calls, navigation, small DOM and chart helpers. */
"use strict";
const PT = (() => {
  const KEY = "plantalent.token";
  const SEARCH_KEY = "plantalent.q";  /* the search box's text, for /search (kept out of URLs) */
  const ROLE_NAMES = { manager: "主管部门", inspector: "核查人员", unit_hr: "单位人事", admin: "系统管理员" };
  const RULES = {
    CL1: "人证分离", CL2: "多处执业", CL3: "公职人员挂证", CL4: "项目挂名", CL5: "多头参保",
    TR1: "频繁调动", TR2: "借人申报", TR3: "集体流动", TR4: "往返调动",
    LK1: "共用联系方式", LK2: "关联单位", LK3: "人员循环圈", QA1: "资质条件不达标",
  };
  const SEV = { high: "高", medium: "中", low: "低" };
  const STATUS = { open: "待核查", assigned: "已分派", confirmed: "已确认", dismissed: "已排除", rectification: "整改中",
    rectified: "已整改", penalized: "已处罚", closed: "已关闭" };

  const token = () => localStorage.getItem(KEY) || sessionStorage.getItem(KEY);
  function setToken(t, remember) {
    localStorage.removeItem(KEY); sessionStorage.removeItem(KEY); sessionStorage.removeItem("plantalent.me");
    (remember ? localStorage : sessionStorage).setItem(KEY, t);
  }
  function signOut() {
    localStorage.removeItem(KEY); sessionStorage.removeItem(KEY); sessionStorage.removeItem("plantalent.me");
    location.href = "/login";
  }
  function toLogin() { location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search); }

  class ApiError extends Error { constructor(status, body) { super(describe(status, body)); this.status = status; this.body = body; } }
  function describe(status, body) {
    if (status === 404) return "未找到（或不在您的权限范围内）";
    const d = body && body.detail;
    if (Array.isArray(d)) return "请求有误：" + d.map(e => (e.loc || []).slice(1).join(".") + " " + e.msg).join("；");
    if (body && body.errors) return (d || "请求有误") + "：" + body.errors.map(e => e.msg).join("；");
    return d || ("请求失败 (" + status + ")");
  }
  async function api(path, opts = {}) {
    const t = token();
    if (!t) { toLogin(); throw new ApiError(401, null); }
    const headers = Object.assign({ Authorization: "Bearer " + t }, opts.headers || {});
    let body = opts.body;
    if (body && !(body instanceof FormData) && typeof body !== "string") { body = JSON.stringify(body); headers["Content-Type"] = "application/json"; }
    const r = await fetch(path, { method: opts.method || "GET", headers, body });
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    if (r.status === 401) { toLogin(); throw new ApiError(401, data); }
    if (!r.ok) throw new ApiError(r.status, data);
    return data;
  }
  async function me() {
    const cached = sessionStorage.getItem("plantalent.me");
    if (cached) return JSON.parse(cached);
    const m = await api("/api/me");
    sessionStorage.setItem("plantalent.me", JSON.stringify(m));
    return m;
  }

  /* h("div", {class: "x", onclick: fn}, child, "text", [children]) */
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "html") el.innerHTML = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    const add = (c) => {
      if (c === null || c === undefined || c === false) return;
      if (Array.isArray(c)) return c.forEach(add);
      el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    };
    kids.forEach(add);
    return el;
  }
  const $ = (sel) => document.querySelector(sel);
  function fill(el, ...kids) { if (typeof el === "string") el = $(el); el.replaceChildren(); kids.flat().forEach(k => k && el.appendChild(k instanceof Node ? k : document.createTextNode(String(k)))); return el; }

  function toast(msg, err) {
    let t = $(".toast"); if (!t) { t = h("div", { class: "toast" }); document.body.appendChild(t); }
    t.textContent = msg; t.className = "toast show" + (err ? " err" : "");
    clearTimeout(t._h); t._h = setTimeout(() => t.className = "toast", 3500);
  }
  function fail(where, e) { fill(where, h("div", { class: "empty" }, "⚠ " + (e && e.message || e))); }

  const fmtDate = (d) => (d ? String(d).slice(0, 10) : "—");
  const val = (v) => (v === null || v === undefined || v === "" ? "—" : v);
  const sevBadge = (s) => h("span", { class: "badge sev-" + s }, SEV[s] || s || "—");
  const statusBadge = (s) => h("span", { class: "badge st-" + s }, STATUS[s] || s || "—");
  const ruleName = (r) => (RULES[r] ? r + " " + RULES[r] : r || "—");
  /* A person links by its pseudonym (person_ref), never by ID number: URLs land in logs and history.
     Without a ref (unit HR looking at another unit's person) the name is shown, unlinked. */
  const personHref = (ref) => "/persons/" + encodeURIComponent(ref);
  const personLink = (p, label) => p.person_ref
    ? h("a", { href: personHref(p.person_ref) }, label || p.name || p.person_id)
    : h("span", {}, label || p.name || "—");
  const unitLink = (id, label) => id ? h("a", { href: "/units/" + encodeURIComponent(id) }, label || id) : "—";

  /* Horizontal bar chart from {label: n} or [{label|name|key|rule|province, n|count|value}]. */
  function bars(title, data, opts = {}) {
    let items = [];
    if (Array.isArray(data)) items = data.map(d => [d.label ?? d.name ?? d.key ?? d.rule ?? d.province ?? d.level ?? "?", d.n ?? d.count ?? d.value ?? d.total ?? 0]);
    else if (data && typeof data === "object") items = Object.entries(data).map(([k, v]) => [k, typeof v === "object" && v
      ? (v.total ?? v.n ?? v.count ?? v.registered ?? Object.values(v).filter(x => typeof x === "number").reduce((a, b) => a + b, 0)) : v]);
    items = items.filter(([, v]) => typeof v === "number");
    if (opts.labels) items = items.map(([k, v]) => [opts.labels(k), v]);
    if (opts.limit) items = items.slice(0, opts.limit);
    const max = Math.max(1, ...items.map(([, v]) => v));
    return h("div", { class: "card" }, h("h2", {}, title),
      items.length ? h("div", { class: "bars" }, items.map(([k, v]) =>
        h("div", { class: "bar", title: k + "：" + v }, h("span", { class: "t" }, k),
          h("span", { class: "b" }, h("i", { style: "width:" + (100 * v / max).toFixed(1) + "%" })),
          h("span", { class: "n" }, v.toLocaleString("zh-CN")))))
        : h("div", { class: "empty" }, "暂无数据"));
  }
  /* The credit factors of queries.credit: {grade_reason, positive:[{text}], negative:[{text}]} (or a list / text). */
  function factorLines(f) {
    if (!f) return [];
    if (typeof f === "string") return f.split(/[；;]/).filter(Boolean);
    if (Array.isArray(f)) return f.map(x => typeof x === "string" ? x : (x.text || JSON.stringify(x)));
    const out = [];
    if (f.grade_reason) out.push(f.grade_reason);
    for (const x of f.positive || []) out.push("＋ " + (x.text || x));
    for (const x of f.negative || []) out.push("－ " + (x.text || x));
    return out;
  }
  /* Download an API file (XLSX, PDF): the token goes in the header, so fetch it and save the blob. */
  async function download(path, filename) {
    const t = token();
    if (!t) { toLogin(); return; }
    const r = await fetch(path, { headers: { Authorization: "Bearer " + t } });
    if (r.status === 401) { toLogin(); return; }
    if (!r.ok) { let b = null; try { b = await r.json(); } catch (e) { b = null; } throw new ApiError(r.status, b); }
    const url = URL.createObjectURL(await r.blob());
    const a = h("a", { href: url, download: filename });
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  }

  /* Suggestions from /api/lookup under a text input: a name finds persons / units (kinds), picking one
     calls pick(item, kind); term(value) is the part of the value to look up (default all of it).
     Returns the wrapper element to place instead of the input. */
  function suggest(input, kinds, pick, term) {
    const list = h("ul", { class: "suggestions", hidden: true });
    const wrap = h("span", { class: "suggest" }, input, list);
    let timer = null, seq = 0;
    const close = () => { list.hidden = true; };
    input.setAttribute("autocomplete", "off");
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const q = (term ? term(input.value) : input.value).trim();
      if (q.length < 2 || /^[0-9A-Z]{18}$/i.test(q) && term) { close(); return; }
      timer = setTimeout(async () => {
        const mine = ++seq;
        let r;
        try { r = await api("/api/lookup?q=" + encodeURIComponent(q)); } catch (e) { return; }
        if (mine !== seq) return;
        const items = [];
        for (const kind of kinds) for (const x of (r[kind] || []).slice(0, 8)) items.push([kind, x]);
        fill(list, items.length ? items.map(([kind, x]) => h("li", {
          onmousedown: (ev) => { ev.preventDefault(); close(); pick(x, kind); } },
          h("b", {}, x.name || "—"), " ",
          h("span", { class: "muted small" }, kind === "persons" ? (x.units || []).join("、") || (x.person_id || "")
            : kind === "units" ? [x.unit_id, x.province].filter(Boolean).join(" ") : [x.project_id, x.lead_unit].filter(Boolean).join(" "))))
          : [h("li", { class: "muted" }, "无匹配")]);
        list.hidden = false;
      }, 250);
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
    return wrap;
  }

  /* Unit HR's dispute (异议) form for a person's records: records = [{kind, key, label}]. */
  function disputeForm(personRef, records) {
    const KIND = { registration: "注册", employment: "任职", insurance: "社保", membership: "项目成员" };
    const pick = h("select", { id: "dispute-record" }, records.map(r => h("option", { value: r.kind + "\u0000" + r.key }, (KIND[r.kind] || r.kind) + "：" + r.label)));
    const reason = h("textarea", { id: "dispute-reason", placeholder: "异议理由（必填），如：该人员已于 2023 年 6 月离职，任职记录未终止" });
    const send = h("button", { id: "btn-dispute", onclick: async () => {
      if (!reason.value.trim()) { toast("请填写异议理由", true); reason.focus(); return; }
      const [kind, key] = pick.value.split("\u0000");
      try {
        const d = await api("/api/disputes", { method: "POST", body: { person_id: personRef, record: { kind, key }, reason: reason.value.trim() } });
        toast("已提交异议 " + d.dispute_id + "，等待核查人员处理");
        reason.value = "";
      } catch (e) { toast(e.message, true); }
    } }, "提交异议");
    return h("div", { class: "card", id: "dispute" }, h("h2", {}, "对记录提出异议"),
      h("p", { class: "muted small" }, "认为本单位人员的某条记录有误时提出；核查人员认定成立后，该记录不再参与预警、信用评价和画像（保留为历史）。"),
      records.length ? [h("label", { class: "f" }, "记录", pick), h("label", { class: "f" }, "理由", reason), h("div", { class: "row", style: "margin-top:8px" }, send)]
        : h("div", { class: "empty" }, "无可提出异议的记录"));
  }

  function kpi(label, value) { return h("div", { class: "card kpi" }, h("span", { class: "v" }, value === undefined || value === null ? "—" : Number(value).toLocaleString("zh-CN")), h("span", { class: "l" }, label)); }

  function table(columns, rows, empty) {
    if (!rows || !rows.length) return h("div", { class: "empty" }, empty || "暂无记录");
    return h("table", {}, h("thead", {}, h("tr", {}, columns.map(c => h("th", {}, c[0])))),
      h("tbody", {}, rows.map(r => h("tr", {}, columns.map(c => { const v = c[1](r); return h("td", {}, v instanceof Node ? v : val(v)); })))));
  }
  function pager(page, pageSize, count, go) {
    const pages = Math.max(1, Math.ceil(count / pageSize));
    return h("div", { class: "pager" }, h("span", { class: "muted small" }, `共 ${count} 条 · 第 ${page}/${pages} 页`),
      h("button", { class: "ghost", disabled: page <= 1, onclick: () => go(page - 1) }, "上一页"),
      h("button", { class: "ghost", disabled: page >= pages, onclick: () => go(page + 1) }, "下一页"));
  }

  /* The top bar; menu items by role. Returns the signed-in user. */
  async function init(active) {
    if (!token()) { toLogin(); throw new Error("not signed in"); }
    const u = await me();
    const items = [["dashboard", "/", "驾驶舱"]];
    if (u.role !== "unit_hr") items.push(["experts", "/experts", "专家检索与推荐"]);
    if (u.role !== "unit_hr") items.push(["panels", "/panels", "评审专家组"]);
    if (u.role === "inspector" || u.role === "admin") items.push(["alerts", "/alerts", "预警核查"]);
    if (u.role === "unit_hr") items.push(["unit", "/units/" + encodeURIComponent(u.unit_id), "本单位"]);
    if (u.role !== "manager") items.push(["disputes", "/disputes", u.role === "unit_hr" ? "我的异议" : "异议处理"]);
    items.push(["credit", "/credit", "信用评价"]);
    if (u.role === "admin") items.push(["admin", "/admin", "系统管理"]);
    const box = h("input", { id: "lookup", type: "search", placeholder: "查找人员/单位/项目：姓名、身份证号、信用代码、电话" });
    const search = h("form", { class: "lookup", id: "lookup-form", onsubmit: (ev) => {
      /* The text may be an ID number or a phone: handed to the search page in this tab's storage, never in its URL. */
      ev.preventDefault(); if (box.value.trim().length >= 2) { sessionStorage.setItem(SEARCH_KEY, box.value.trim()); location.href = "/search"; } } },
      suggest(box, ["persons", "units", "projects"], (x, kind) => {
        if (kind === "persons") { if (x.person_ref) location.href = personHref(x.person_ref); }
        else if (kind === "units") location.href = "/units/" + encodeURIComponent(x.unit_id);
        else location.href = "/search?q=" + encodeURIComponent(x.project_id);
      }));
    const badge = h("span", { class: "count", id: "inbox-count", hidden: true }, "0");
    const top = h("header", { class: "top" },
      h("a", { href: "/", class: "logo", style: "color:#fff" }, "国土空间规划人才智库", h("small", {}, "plantalent")),
      h("nav", {}, items.map(([k, href, label]) => h("a", { href, class: k === active ? "active" : null }, label))),
      search,
      h("a", { href: "/inbox", class: "inbox" + (active === "inbox" ? " active" : ""), id: "inbox-link", title: "消息" }, "消息", badge),
      h("span", { class: "who" }, (u.name || u.user_id) + " · " + (ROLE_NAMES[u.role] || u.role) + (u.province ? "（" + u.province + "）" : ""),
        h("button", { onclick: signOut, title: "退出登录" }, "退出")));
    document.body.prepend(top);
    refreshInbox();
    return u;
  }
  async function refreshInbox() {
    try {
      const r = await api("/api/inbox?unread=true&limit=0");
      const b = $("#inbox-count");
      if (b) { b.textContent = String(r.unread); b.hidden = !r.unread; }
    } catch (e) { /* the badge is a hint; the page works without it */ }
  }
  /* History of a person or a unit (inspectors and admins): earlier values (versions) and withdrawn (retired or set-aside) records,
     each with where its values came from: file, line and load (DESIGN.md "Data lifecycle"). */
  const KIND_NAMES = { unit: "单位", person: "人员", registration: "注册", employment: "任职", insurance: "社保",
    expert: "专家", project: "项目", membership: "项目成员", application: "资质申报", declaration: "申报人员",
    award: "获奖", violation: "违规", reorganization: "重组" };
  const STATE_NAMES = { changed: "已变更", retired: "已退役", set_aside: "已搁置" };
  const sourceText = (s) => s && s.file ? `${s.file} 第 ${s.line} 行 · 批次 ${s.load_id || "—"}` : "—";
  const when = (by, at) => by ? h("span", { class: "small" }, by, h("br"), h("span", { class: "muted" }, String(at || "").replace("T", " ").slice(0, 19))) : "—";
  function valueChips(values) {
    return h("span", { class: "small" }, Object.entries(values || {}).filter(([, x]) => x !== null && x !== "" && !(Array.isArray(x) && !x.length))
      .map(([k, x]) => h("span", { class: "chip" }, k + "：" + (Array.isArray(x) ? x.join("、") : String(x)))));
  }
  function historyCard(hist, source) {
    if (!hist) return null;
    const kind = (r) => KIND_NAMES[r.kind] || r.kind;
    return h("div", { class: "card", id: "history" }, h("h2", {}, "历史记录与数据来源"),
      source ? h("p", { class: "small muted" }, "当前数据来源：", sourceText(source)) : null,
      h("h3", {}, `变更前的版本（${hist.versions.length}）`),
      table([["类型", kind], ["记录", r => h("span", { class: "mono small" }, r.key || "—")], ["原值", r => valueChips(r.values)],
        ["来源", r => sourceText(r.source)], ["被替换（批次 / 时间）", r => when(r.replaced_by, r.replaced_at)],
        ["", r => r.retired_by ? h("span", { class: "badge st-dismissed" }, "已退役") : null]], hist.versions, "无变更记录"),
      h("h3", {}, `已退役或搁置的记录（${hist.withdrawn.length}）`),
      table([["类型", kind], ["记录", r => h("span", { class: "mono small" }, r.key || "—")], ["内容", r => valueChips(r.values)],
        ["来源", r => sourceText(r.source)], ["状态", r => STATE_NAMES[r.state] || r.state],
        ["退役 / 搁置（批次或异议 / 时间）", r => when(r.retired_by || r.set_aside_by, r.retired_at || r.set_aside_at)]], hist.withdrawn, "无退役记录"));
  }

  const param = (k) => new URLSearchParams(location.search).get(k);
  const lastSegment = () => decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");

  return { api, me, init, setToken, signOut, h, $, fill, toast, fail, fmtDate, val, sevBadge, statusBadge, ruleName,
    personLink, personHref, unitLink, bars, kpi, factorLines, table, pager, param, lastSegment, download, suggest, refreshInbox, disputeForm, historyCard, sourceText,
    RULES, SEV, STATUS, ROLE_NAMES, SEARCH_KEY, token };
})();
