"use strict";
(async () => {
  const { h, fill, table } = PT;
  const main = PT.$("#main");
  try { await PT.init("alerts"); } catch (e) { return; }
  const id = PT.lastSegment();
  const COLORS = { Person: "#2f80d1", Org: "#7d5ba6", Unit: "#7d5ba6", Registration: "#1f8a4c", Employment: "#0f9fb0",
    Insurance: "#c27c0e", Project: "#d35d8a", Application: "#5c6f82", Expert: "#3b9c9c", Alert: "#c0392b", Reorganization: "#8a6d3b", Violation: "#a93226" };
  const KIND_ZH = { Person: "人员", Org: "单位/组织", Unit: "单位", Registration: "注册", Employment: "任职", Insurance: "社保",
    Project: "项目", Application: "资质申请", Alert: "预警", Reorganization: "重组", Violation: "违规", Expert: "专家" };
  const EDGE_ZH = { AT: "所在", HAS_INSURANCE: "参保", HAS_REGISTRATION: "注册", HAS_EMPLOYMENT: "任职", CONCERNS: "涉及",
    MEMBER_OF: "参与", LED_BY: "承担", DECLARES: "申报", BY: "申请单位", OWNED_BY: "隶属", FROM: "原单位", TO: "新单位",
    IS_EXPERT: "专家", AGAINST: "处罚", TO_UNIT: "获奖单位", TO_PERSON: "获奖人", FOR_PROJECT: "项目" };
  const nodeKind = (n) => n.kind || n.type || n.label_type || (Array.isArray(n.labels) ? (n.labels.includes("Unit") ? "Unit" : n.labels[0]) : null) || "Other";
  const nodeId = (n) => String(n.id ?? n.key ?? n.element_id ?? n.node_id);
  const nodeText = (n) => {
    const k = nodeKind(n);
    const p = n.properties || n.props || {};
    const name = (typeof n.label === "string" && n.label) || n.name || n.caption || p.name;
    if (name && typeof name === "string") return name;
    if (k === "Employment" || k === "Registration" || k === "Insurance") return (KIND_ZH[k] || k) + " " + PT.fmtDate(n.start_date || n.valid_from || n.start_month || p.start_date || p.valid_from || p.start_month);
    return nodeId(n);
  };

  async function load() {
    let a;
    try { a = await PT.api("/api/alerts/" + encodeURIComponent(id)); } catch (e) { return PT.fail(main, e); }
    render(a);
  }

  function drawGraph(el, graph) {
    const nodes = (graph && graph.nodes) || [];
    const edges = (graph && graph.edges) || [];
    if (!nodes.length || typeof cytoscape === "undefined") { fill(el, h("div", { class: "empty" }, "无证据图")); el.style.height = "auto"; return; }
    const ids = new Set(nodes.map(nodeId));
    const els = nodes.map(n => ({ data: { id: nodeId(n), label: nodeText(n), kind: nodeKind(n), color: COLORS[nodeKind(n)] || "#7d8b9a", raw: n } }))
      .concat(edges.map((e, i) => ({ data: { id: "e" + i, source: String(e.source ?? e.from ?? e.start), target: String(e.target ?? e.to ?? e.end),
        label: EDGE_ZH[e.type] || e.label_zh || e.type || e.label || e.rel || "" } })).filter(e => ids.has(e.data.source) && ids.has(e.data.target)));
    const cy = cytoscape({
      container: el, elements: els, wheelSensitivity: 0.3, minZoom: 0.2, maxZoom: 1.4,
      style: [
        { selector: "node", style: { "background-color": "data(color)", label: "data(label)", color: "#1f2933", "font-size": 12,
          "text-valign": "bottom", "text-margin-y": 4, width: 26, height: 26, "text-wrap": "ellipsis", "text-max-width": 120,
          "font-family": "WenQuanYi Zen Hei, Microsoft YaHei, sans-serif" } },
        { selector: 'node[kind = "Person"]', style: { shape: "ellipse", width: 34, height: 34 } },
        { selector: 'node[kind = "Org"], node[kind = "Unit"]', style: { shape: "round-rectangle", width: 38, height: 30 } },
        { selector: "edge", style: { width: 1.6, "line-color": "#b7c3d0", "target-arrow-color": "#b7c3d0", "target-arrow-shape": "triangle",
          "curve-style": "bezier", label: "data(label)", "font-size": 9, color: "#66788a", "text-rotation": "autorotate", "text-background-color": "#fbfcfe", "text-background-opacity": 1 } },
        { selector: ":selected", style: { "border-width": 3, "border-color": "#f1c40f" } },
      ],
      layout: { name: "cose", animate: false, nodeRepulsion: () => 400000, idealEdgeLength: () => 150, nodeOverlap: 40, componentSpacing: 120, padding: 40, randomize: false },
    });
    const info = PT.$("#node-info");
    cy.on("tap", "node", (ev) => {
      const raw = ev.target.data("raw");
      const props = raw.props || raw.properties || raw;
      const isP = nodeKind(raw) === "Person", isU = nodeKind(raw) === "Org" || nodeKind(raw) === "Unit";
      const pid = isP ? (props.person_ref || raw.person_ref || raw.ref) : null;
      const uid = isU ? (props.unit_id || raw.unit_id) : null;
      fill(info, h("b", {}, (KIND_ZH[nodeKind(raw)] || nodeKind(raw)) + "："), nodeText(raw), " ",
        pid ? h("a", { href: PT.personHref(pid) }, "查看画像 →") : null,
        uid ? h("a", { href: "/units/" + encodeURIComponent(uid) }, "查看单位 →") : null,
        h("pre", { class: "json" }, JSON.stringify(props, null, 1)));
    });
    window._cy = cy;
  }

  function render(a) {
    const kinds = new Set(((a.graph && a.graph.nodes) || []).map(nodeKind));
    const legend = h("div", { class: "legend" }, [...kinds].map(k => h("span", {}, h("i", { style: "background:" + (COLORS[k] || "#7d8b9a") }), KIND_ZH[k] || k)));
    const period = a.period || { from: a.period_from, to: a.period_to };
    const facts = h("dl", { class: "kv" },
      h("dt", {}, "规则"), h("dd", {}, PT.ruleName(a.rule)),
      h("dt", {}, "严重程度"), h("dd", {}, PT.sevBadge(a.severity), " 评分 ", typeof a.score === "number" ? a.score.toFixed(2) : "—"),
      h("dt", {}, "状态"), h("dd", { id: "alert-status" }, PT.statusBadge(a.status)),
      h("dt", {}, "时段"), h("dd", {}, PT.fmtDate(period && period.from), " 至 ", PT.fmtDate(period && period.to)),
      h("dt", {}, "涉及人员"), h("dd", {}, (a.person_ids || []).map((p, i) => h("span", { class: "chip" }, PT.personLink({ person_id: p, person_ref: (a.person_refs || [])[i] }, p)))),
      h("dt", {}, "涉及单位"), h("dd", {}, (a.unit_ids || []).map(u => h("span", { class: "chip" }, PT.unitLink(u)))),
      a.project_id ? [h("dt", {}, "项目"), h("dd", {}, a.project_id)] : null,
      a.application_id ? [h("dt", {}, "资质申请"), h("dd", {}, a.application_id)] : null,
      h("dt", {}, "预警编号"), h("dd", { class: "mono small" }, a.alert_id));
    const ev = Array.isArray(a.evidence) ? a.evidence : (a.evidence ? [a.evidence] : []);
    // Each evidence record's sources: the load, file and line that brought it; retired or changed since.
    const SOURCE_STATE = { current: "", retired: "已退役", missing: "已不存在" };
    const sources = (e) => (e.sources || []).map(s => h("div", { class: "small" + (s.state === "current" ? " muted" : "") },
      PT.sourceText(s), SOURCE_STATE[s.state] ? h("span", { class: "badge st-dismissed" }, SOURCE_STATE[s.state] + (s.retired_by ? " · " + s.retired_by : "")) : null,
      (s.changed_by || []).length ? h("span", { class: "badge st-open" }, "预警后已变更 · " + s.changed_by.join("、")) : null));
    const evidence = table([["类型", e => e.kind || e.type], ["内容", e => {
      const rest = Object.assign({}, e); delete rest.kind; delete rest.sources;
      return h("span", { class: "small" }, Object.entries(rest).map(([k, v]) => h("span", { class: "chip" }, k + ": " + (typeof v === "object" ? JSON.stringify(v) : v))));
    }], ["数据来源", e => h("div", {}, sources(e))]], ev, "无证据记录");
    const history = a.events || a.history || [];
    facts.append(...[
      a.assignee ? h("dt", {}, "承办人") : null, a.assignee ? h("dd", { id: "alert-assignee" }, a.assignee, a.due ? "，核查期限 " + a.due : "") : null,
      a.deadline ? h("dt", {}, "整改期限") : null, a.deadline ? h("dd", {}, a.deadline) : null,
      a.violation_id ? h("dt", {}, "处罚记录") : null, a.violation_id ? h("dd", { id: "alert-violation" }, a.violation_id,
        a.outcome && a.outcome.points !== null && a.outcome.points !== undefined ? "（扣 " + a.outcome.points + " 分）" : "") : null].filter(Boolean));
    const comment = h("textarea", { id: "comment", placeholder: "核查意见：排除或重新打开时必填，如“已调取社保缴费记录，确认人证分离属实”" });
    const post = async (body, done) => {
      try {
        const r = await PT.api("/api/alerts/" + encodeURIComponent(a.alert_id) + "/status", { method: "POST", body: Object.assign({ comment: comment.value.trim() }, body) });
        PT.toast(done || ("已更新为：" + (PT.STATUS[r.status] || r.status)));
        render(r);
      } catch (e) { PT.toast(e.message, true); }
    };
    const needComment = (status) => () => {
      if (!comment.value.trim()) { PT.toast("请填写理由", true); comment.focus(); return; }
      post({ status });
    };
    const assignee = h("input", { id: "assignee", list: "assignees", placeholder: "核查人员姓名或账号" });
    const due = h("input", { id: "due", type: "date" });
    const deadline = h("input", { id: "deadline", type: "date" });
    const points = h("input", { id: "points", type: "number", min: 0, max: 1000, placeholder: "扣分", style: "width:90px" });
    const measure = h("input", { id: "penalty", placeholder: "处罚措施，如 通报批评" });
    const people = h("datalist", { id: "assignees" });
    PT.api("/api/alerts/" + encodeURIComponent(a.alert_id) + "/assignees").then(r => fill(people, r.data.map(x =>
      h("option", { value: x.name || x.user_id }, [x.user_id, x.province || "全国"].join(" "))))).catch(() => {});
    const st = a.status;
    const steps = [];
    if (st === "open" || st === "assigned") {
      steps.push(h("fieldset", {}, h("legend", {}, st === "assigned" ? "改派" : "分派核查"),
        h("div", { class: "row" }, assignee, people, h("label", { class: "f" }, "核查期限", due),
          h("button", { class: "ghost", id: "btn-assign", onclick: () => {
            if (!assignee.value.trim()) { PT.toast("请选择承办人", true); assignee.focus(); return; }
            post({ status: "assigned", assignee: assignee.value.trim(), due: due.value || null });
          } }, "分派"))));
      steps.push(h("div", { class: "row" },
        h("button", { class: "bad", id: "btn-confirm", onclick: () => post({ status: "confirmed" }) }, "确认属实"),
        h("button", { class: "ghost", id: "btn-dismiss", onclick: needComment("dismissed") }, "排除（误报）")));
    } else if (st === "confirmed") {
      steps.push(h("fieldset", {}, h("legend", {}, "处理结果"),
        h("div", { class: "row" }, h("label", { class: "f" }, "整改期限", deadline),
          h("button", { class: "ghost", id: "btn-rectify", onclick: () => {
            if (!deadline.value) { PT.toast("请填写整改期限", true); return; }
            post({ status: "confirmed", outcome: { kind: "rectification", deadline: deadline.value } }, "已责令限期整改");
          } }, "责令整改")),
        h("div", { class: "row" }, points, measure,
          h("button", { class: "bad", id: "btn-penalize", onclick: () => {
            if (points.value === "") { PT.toast("请填写扣分", true); points.focus(); return; }
            post({ status: "confirmed", outcome: { kind: "penalty", points: Number(points.value), penalty: measure.value.trim() || null } }, "已处罚并记入违规记录");
          } }, "处罚（记入违规）"))));
    } else if (st === "rectification") {
      steps.push(h("div", { class: "row" }, h("button", { class: "ok", id: "btn-rectified", onclick: () => post({ status: "rectified" }) }, "整改完成")));
    } else if (st === "dismissed") {
      steps.push(h("div", { class: "row" }, h("button", { class: "ghost", id: "btn-reopen", onclick: needComment("open") }, "重新打开")));
    }
    const report = h("button", { class: "ghost", id: "btn-report", onclick: async () => {
      try { await PT.download("/api/alerts/" + encodeURIComponent(a.alert_id) + "/report.pdf", "核查报告-" + a.alert_id + ".pdf"); }
      catch (e) { PT.toast(e.message, true); }
    } }, "导出核查报告（PDF）");
    const outcomeText = (e) => {
      const o = e.outcome;
      const parts = [e.comment];
      if (e.assignee) parts.push("承办人 " + e.assignee + (e.due ? "，期限 " + e.due : ""));
      if (o && o.kind === "rectification") parts.push("整改期限 " + o.deadline);
      if (o && o.kind === "penalty") parts.push("处罚：扣 " + o.points + " 分" + (o.penalty ? "，" + o.penalty : "") + (o.violation_id ? "（" + o.violation_id + "）" : ""));
      return parts.filter(Boolean).join("；");
    };
    const actions = h("div", { class: "card lifecycle" }, h("div", { class: "row" }, h("h2", {}, "核查处理"), h("span", { class: "spacer" }), report),
      steps.length ? [comment, ...steps] : h("p", { class: "muted" }, "本预警已办结（" + (PT.STATUS[st] || st) + "）。"),
      history.length ? [h("h3", {}, "处理记录"), table([["时间", e => String(e.at || "").replace("T", " ").slice(0, 19)], ["操作人", e => e.actor],
        ["状态变化", e => h("span", {}, PT.statusBadge(e.from_status), " → ", PT.statusBadge(e.to_status))], ["意见", outcomeText]], history)] : null);
    const graphEl = h("div", { id: "graph" });
    fill(main,
      h("div", { class: "row" }, h("a", { href: "/alerts" }, "← 返回预警队列")),
      h("h1", {}, a.summary || a.alert_id),
      h("div", { class: "grid g2" }, h("div", { class: "card" }, h("h2", {}, "预警信息"), facts), actions),
      h("div", { class: "card" }, h("div", { class: "row" }, h("h2", {}, "证据关系图"), h("span", { class: "spacer" }), legend), graphEl,
        h("div", { id: "node-info", class: "small muted", style: "margin-top:8px" }, "点击图中节点查看详情")),
      h("div", { class: "card" }, h("h2", {}, "证据记录"), evidence));
    drawGraph(graphEl, a.graph);
  }
  load();
})();
