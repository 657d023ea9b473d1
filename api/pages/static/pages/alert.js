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
      const pid = isP ? (props.person_ref || props.person_id || raw.person_ref) : null;
      const uid = isU ? (props.unit_id || raw.unit_id) : null;
      fill(info, h("b", {}, (KIND_ZH[nodeKind(raw)] || nodeKind(raw)) + "："), nodeText(raw), " ",
        pid ? h("a", { href: "/persons/" + encodeURIComponent(pid) }, "查看画像 →") : null,
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
      h("dt", {}, "涉及人员"), h("dd", {}, (a.person_ids || []).map((p, i) => h("span", { class: "chip" }, h("a", { href: "/persons/" + encodeURIComponent((a.person_refs && a.person_refs[i]) || p) }, p)))),
      h("dt", {}, "涉及单位"), h("dd", {}, (a.unit_ids || []).map(u => h("span", { class: "chip" }, PT.unitLink(u)))),
      a.project_id ? [h("dt", {}, "项目"), h("dd", {}, a.project_id)] : null,
      a.application_id ? [h("dt", {}, "资质申请"), h("dd", {}, a.application_id)] : null,
      h("dt", {}, "预警编号"), h("dd", { class: "mono small" }, a.alert_id));
    const ev = Array.isArray(a.evidence) ? a.evidence : (a.evidence ? [a.evidence] : []);
    const evidence = table([["类型", e => e.kind || e.type], ["内容", e => {
      const rest = Object.assign({}, e); delete rest.kind;
      return h("span", { class: "small" }, Object.entries(rest).map(([k, v]) => h("span", { class: "chip" }, k + ": " + (typeof v === "object" ? JSON.stringify(v) : v))));
    }]], ev, "无证据记录");
    const history = a.events || a.history || [];
    const reason = h("textarea", { id: "reason", placeholder: "核查意见（必填）：如已调取社保缴费记录，确认人证分离属实" });
    const decide = (status) => async () => {
      if (!reason.value.trim()) { PT.toast("请填写核查意见", true); reason.focus(); return; }
      try {
        const r = await PT.api("/api/alerts/" + encodeURIComponent(a.alert_id) + "/status", { method: "POST", body: { status, reason: reason.value.trim() } });
        PT.toast("已更新为：" + (PT.STATUS[r.status] || r.status));
        render(r);
      } catch (e) { PT.toast(e.message, true); }
    };
    const actions = h("div", { class: "card" }, h("h2", {}, "核查结论"), reason,
      h("div", { class: "row", style: "margin-top:8px" },
        h("button", { class: "bad", id: "btn-confirm", onclick: decide("confirmed") }, "确认属实"),
        h("button", { class: "ghost", id: "btn-dismiss", onclick: decide("dismissed") }, "排除（误报）"),
        a.status !== "open" ? h("button", { class: "ghost", id: "btn-reopen", onclick: decide("open") }, "重新打开") : null),
      history.length ? [h("h3", {}, "处理记录"), table([["时间", e => String(e.at || "").replace("T", " ").slice(0, 19)], ["操作人", e => e.actor],
        ["状态变化", e => h("span", {}, PT.statusBadge(e.from_status), " → ", PT.statusBadge(e.to_status))], ["意见", e => e.reason]], history)] : null);
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
