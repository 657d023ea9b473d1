"""Alerts in the graph: storing detection results, the inspector lifecycle, listing and evidence.

Lifecycle (DESIGN.md Casework): a new alert is ``open``; an inspector assigns it (``assigned``: an
assignee user, a due date), confirms it (``confirmed``) or dismisses it (``dismissed``, reason
required); a dismissed one may be reopened. A confirmed alert gets its outcome: ``rectification``
(a deadline; later ``rectified``) or ``penalized`` (a violation record ``V-{alert_id}`` that credit
and conflicts of interest count like a loaded one). A detection run closes (``closed``) open alerts
of its scope that it no longer raises and reopens closed ones that hold again; it never touches an
alert in anybody's hands. Each change is an ``AlertEvent`` (at, actor, from_status, to_status,
comment) and an audit event, written in the transaction of the change.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.cypher import CypherFiles
from graph.db import batched, read, write
from graph.errors import Conflict, InvalidInput, NotFound
from graph.settings import Settings
from graph.version import bump, bump_in
from queries.audit import record_in
from queries.detect import RULE_NAMES, Alert, parse_rules, run_detection
from queries.inbox import Notice, after_detection, notify_in
from queries.users import Principal

CYPHER = CypherFiles(__file__, "alerts")
EVENT_FIELDS = ("at", "actor", "from_status", "to_status", "comment", "assignee", "due", "outcome")

STATUSES = ("open", "assigned", "confirmed", "dismissed", "rectification", "rectified", "penalized", "closed")
# A high-severity alert counts against its units (credit, yellow list) and its persons (conflict of
# interest) while in one of these statuses; once penalized its violation counts instead. The one place
# that says so: every query counting alerts takes it as a parameter.
COUNTING = ("open", "assigned", "confirmed", "rectification")
# Who may move an alert where. "assigned" -> "assigned" hands it to another assignee; "closed" is
# set (and undone) only by detection; rectification/penalized are reached by posting the outcome of
# a confirmed alert.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("assigned", "confirmed", "dismissed"),
    "assigned": ("assigned", "confirmed", "dismissed"),
    "confirmed": ("rectification", "penalized"),
    "rectification": ("rectified",),
    "dismissed": ("open",),
    "rectified": (),
    "penalized": (),
    "closed": (),
}
# Alert severity -> violation severity of a penalty (violations.csv 严重程度).
PENALTY_SEVERITY = {"high": "严重", "medium": "一般", "low": "轻微"}
# Rule -> violation category of a penalty; the keyword before the bracket is what credit weighs
# (credit_weights.toml [violations.category_weights]).
PENALTY_CATEGORY = {
    "CL1": "挂证", "CL2": "挂证", "CL3": "挂证", "CL4": "挂名", "CL5": "挂证", "TR1": "异常调动",
    "TR2": "弄虚作假", "TR3": "异常调动", "TR4": "异常调动", "LK1": "关联关系", "LK2": "关联关系",
    "LK3": "挂靠", "QA1": "资质",
}
# Node properties never shown in the evidence graph.
HIDDEN_PROPS = {"embedding", "embedding_hash", "profile_hash", "profile_text", "src_file", "src_line",
                "load_id", "loaded_at", "row_hash", "evidence", "token_hash"}
# Evidence record kind -> (graph label, key property) of the node its ids name.
KIND_NODES = {
    "registration": "registration_ids", "employment": "employment_ids", "insurance": "insurance_ids",
    "project": "project_ids", "application": "application_ids", "reorganization": "reorganization_ids",
    "move": "employment_ids", "round_trip": "employment_ids", "person": "person_ids",
    "qualification": "unit_ids", "unit_link": "unit_ids",
}
KEY_PROPS = {"Alert": "alert_id", "Person": "person_id", "Org": "unit_id", "Registration": "reg_id",
             "Employment": "emp_id", "Insurance": "ins_id", "Project": "project_id",
             "Application": "application_id", "Reorganization": "reorg_id"}


class AlertNotFoundError(NotFound):
    """No alert with that alert_id."""


class AlertStatusError(InvalidInput):
    """A status change that lacks what it needs (a comment, an assignee, points, a deadline)."""


class AlertTransitionError(Conflict):
    """A status change the lifecycle does not list from the alert's current status (409)."""


@dataclass(frozen=True)
class Outcome:
    """What a confirmed alert comes to: ``rectification`` by ``deadline``, or ``penalty`` of ``points``
    (``penalty`` the measure's text; ``subject_ids`` the persons/units it is against, default all the
    alert concerns)."""

    kind: str
    deadline: date | None = None
    points: int | None = None
    penalty: str | None = None
    subject_ids: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        return "rectification" if self.kind == "rectification" else "penalized"


@dataclass(frozen=True)
class Decision:
    """One requested status change (the body of ``POST /api/alerts/{id}/status``)."""

    status: str
    comment: str = ""
    assignee: str | None = None
    due: date | None = None
    outcome: Outcome | None = None

    def target(self) -> str:
        """The status the alert is to take (an outcome turns ``confirmed`` into its own status)."""
        return self.outcome.status if self.outcome is not None else self.status


def _plain(v: Any) -> Any:
    """Neo4j temporal values -> ISO strings; lists recursively."""
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if hasattr(v, "iso_format"):
        return v.iso_format()
    if isinstance(v, date | datetime):
        return v.isoformat()
    return v


def store_alerts(driver: Driver, settings: Settings, alerts: list[Alert], *, as_of: date,
                 rules: Iterable[str], person_id: str | None = None,
                 person_ids: list[str] | None = None) -> dict[str, int]:
    """Write ``alerts`` to the graph and close open alerts of this scope that were not raised.

    The scope is the rule codes that were run and, for a --person run, alerts naming that person (for a
    run over several persons, ``person_ids``: alerts naming any of them).
    Then the inbox notices of the run (queries.inbox.after_detection). Returns {"stored", "closed", "notices"}.
    """
    now = datetime.now(UTC)
    run_id = uuid.uuid4().hex
    rows = [{
        "alert_id": a.alert_id, "rule": a.rule, "severity": a.severity, "score": a.score,
        "summary": a.summary, "person_ids": a.person_ids, "unit_ids": a.unit_ids,
        "project_id": a.project_id, "application_id": a.application_id,
        "period_from": a.period.get("from"), "period_to": a.period.get("to"),
        "evidence": json.dumps(a.evidence, ensure_ascii=False),
    } for a in alerts]
    stored = 0
    for batch in batched(rows, max(1, min(settings.batch_size, 2000))):
        res = write(driver, settings, CYPHER.load("upsert"), rows=batch, now=now, run_id=run_id, as_of=as_of)
        stored += res[0]["stored"] if res else 0
    res = write(driver, settings, CYPHER.load("close"), rules=list(rules), person_id=person_id,
                person_ids=person_ids, run_id=run_id, now=now)
    notices = after_detection(driver, settings, run_id, settings.today())
    bump(driver, settings, "detect")
    return {"stored": stored, "closed": res[0]["closed"] if res else 0, "notices": notices}


def detect_and_store(driver: Driver, settings: Settings, as_of: date, rules: list[str] | None = None,
                     person_id: str | None = None) -> list[Alert]:
    """Run the detection rules (``queries.detect.run_detection``) and keep the alerts in the graph."""
    codes = parse_rules(rules)
    alerts = run_detection(driver, settings, as_of, codes, person_id)
    store_alerts(driver, settings, alerts, as_of=as_of, rules=codes, person_id=person_id)
    return alerts


def _public(props: dict[str, Any]) -> dict[str, Any]:
    """An Alert node's properties as the API/JSONL shape (+ workflow fields)."""
    p = {k: _plain(v) for k, v in props.items()}
    ev = p.get("evidence")
    return {
        "alert_id": p["alert_id"], "rule": p.get("rule"), "severity": p.get("severity"),
        "score": p.get("score"), "person_ids": p.get("person_ids") or [], "unit_ids": p.get("unit_ids") or [],
        "project_id": p.get("project_id"), "application_id": p.get("application_id"),
        "period": {"from": p.get("period_from"), "to": p.get("period_to")},
        "summary": p.get("summary"), "evidence": json.loads(ev) if isinstance(ev, str) else (ev or []),
        "status": p.get("status"), "first_seen": p.get("first_seen"), "last_seen": p.get("last_seen"),
        "closed_at": p.get("closed_at"), "as_of": p.get("as_of"),
        "assignee": p.get("assignee"), "due": p.get("due"), "deadline": p.get("deadline"),
        "outcome": json.loads(p["outcome"]) if isinstance(p.get("outcome"), str) else None,
        "violation_id": p.get("violation_id"),
    }


def list_alerts(driver: Driver, settings: Settings, *, rule: str | None = None, severity: str | None = None,
                province: str | None = None, status: str | None = None, unit_id: str | None = None,
                person_id: str | None = None, assignee: str | None = None, scope: str | None = None,
                statuses: Iterable[str] | None = None, page: int = 1, page_size: int = 50) -> dict[str, Any]:
    """Alerts matching the filters, most severe first: {"data": [...], "count": total}.

    ``province`` matches the province of any unit the alert concerns; ``unit_id`` keeps alerts
    concerning that unit (unit HR scope); ``person_id`` alerts naming that person; ``assignee`` the
    alerts assigned to that user; ``statuses`` any of these statuses; ``scope`` a provincial user's province (alerts with a concerned
    unit there). ``page_size`` up to 5,000 (exports).
    """
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), 5000))
    rows = read(driver, settings, CYPHER.load("list"), rule=rule, severity=severity, status=status,
                province=province, unit_id=unit_id, person_id=person_id, assignee=assignee, scope=scope,
                statuses=list(statuses) if statuses is not None else None,
                skip=(page - 1) * page_size, limit=page_size)
    if not rows:
        return {"data": [], "count": 0}
    return {"data": [_public(x) for x in rows[0]["data"]], "count": rows[0]["count"]}


def _evidence_keys(alert: dict[str, Any]) -> dict[str, Any]:
    """Node keys named by an alert's fields and evidence records, per graph.cypher parameter."""
    keys: dict[str, set[str]] = {k: set() for k in (
        "person_ids", "unit_ids", "registration_ids", "employment_ids", "insurance_ids", "project_ids",
        "application_ids", "reorganization_ids")}
    keys["person_ids"].update(alert["person_ids"])
    keys["unit_ids"].update(alert["unit_ids"])
    if alert.get("project_id"):
        keys["project_ids"].add(alert["project_id"])
    if alert.get("application_id"):
        keys["application_ids"].add(alert["application_id"])
    for rec in alert["evidence"]:
        param = KIND_NODES.get(rec.get("kind", ""))
        if param:
            keys[param].update(i for i in rec.get("ids", []) if i)
        for f in ("person_id", "unit_id", "from_unit", "to_unit"):
            if rec.get(f):
                keys["person_ids" if f == "person_id" else "unit_ids"].add(rec[f])
        for f in ("person_ids", "unit_ids", "payer_ids"):
            keys["person_ids" if f == "person_ids" else "unit_ids"].update(rec.get(f) or [])
    return {k: sorted(v) for k, v in keys.items()}


def _node_label(label: str, p: dict[str, Any]) -> str:
    if label == "Alert":
        return f"{p.get('rule')} 预警"
    if label in ("Person", "Org", "Project"):
        return str(p.get("name") or p.get(KEY_PROPS[label]))
    if label == "Registration":
        return f"注册 {p.get('cert_no') or ''} {p.get('valid_from')}~{p.get('valid_to') or '至今'}"
    if label == "Employment":
        return f"任职 {p.get('start_date')}~{p.get('end_date') or '至今'}"
    if label == "Insurance":
        return f"参保 {str(p.get('start_month'))[:7]}~{str(p.get('end_month') or '至今')[:7]}"
    if label == "Application":
        return f"资质申报 {p.get('application_id')}"
    if label == "Reorganization":
        return f"{p.get('kind')} {p.get('date')}"
    return label


def _graph(driver: Driver, settings: Settings, alert: dict[str, Any]) -> dict[str, Any]:
    rows = read(driver, settings, CYPHER.load("graph"), alert_id=alert["alert_id"], **_evidence_keys(alert))
    if not rows:
        return {"nodes": [], "edges": []}
    ids: dict[str, str] = {}
    nodes: list[dict[str, Any]] = []
    for n in rows[0]["nodes"]:
        label = next((lb for lb in KEY_PROPS if lb in n["labels"]), n["labels"][0] if n["labels"] else "Node")
        if label == "Org" and "Unit" in n["labels"]:
            kind = "Unit"
        else:
            kind = label
        props = {k: _plain(v) for k, v in n["props"].items() if k not in HIDDEN_PROPS}
        nid = f"{label}:{props.get(KEY_PROPS.get(label, ''), n['eid'])}"
        ids[n["eid"]] = nid
        nodes.append({"id": nid, "label": _node_label(label, props), "kind": kind, "props": props})
    edges = [{"source": ids[e["source"]], "target": ids[e["target"]], "type": e["type"]}
             for e in rows[0]["edges"] if e["source"] in ids and e["target"] in ids]
    nodes.sort(key=lambda n: n["id"])
    edges.sort(key=lambda e: (e["source"], e["target"], e["type"]))
    return {"nodes": nodes, "edges": edges}


# Evidence kinds naming records -> the kind of record their ids are (a "member" or "declared" record names
# a relationship by its two ends). Derived evidence (overlap, shared months, ...) names records listed
# on their own in the same evidence.
SOURCE_KINDS = {"registration": "registration", "employment": "employment", "insurance": "insurance",
                "move": "employment", "round_trip": "employment", "person": "person", "qualification": "unit",
                "unit_link": "unit", "reorganization": "reorganization"}


def _names(rec: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The kind of record an evidence record's ids are (None: a membership, a declaration or derived), its ids."""
    ids = [i for i in rec.get("ids") or [] if i]
    kind = SOURCE_KINDS.get(rec.get("kind", ""))
    if rec.get("kind", "").startswith("shared_"):
        kind = "person" if rec.get("person_ids") else "unit"
    return kind, ids


def _source_params(alert: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {f"{k}_ids": set() for k in (
        "registration", "employment", "insurance", "person", "unit", "project", "application", "reorganization")}
    params["members"], params["declared"] = [], []
    for rec in alert["evidence"]:
        kind, ids = _names(rec)
        if kind:
            params[f"{kind}_ids"].update(ids)
        elif rec.get("kind") == "member" and len(ids) == 2:
            params["members"].append({"project_id": ids[0], "person_id": ids[1]})
        elif rec.get("kind") == "declared" and len(ids) == 2:
            params["declared"].append({"application_id": ids[0], "person_id": ids[1]})
    return {k: sorted(v) if isinstance(v, set) else v for k, v in params.items()}


def evidence_sources(driver: Driver, settings: Settings, alert: dict[str, Any]) -> None:
    """Add to each evidence record of ``alert`` the ``sources`` of the records it names (DESIGN.md "Data
    lifecycle"): per id the load, file and line that brought its values, ``state`` current / retired
    (``retired_by``, ``retired_at``: a snapshot load) / set_aside (``set_aside_by``, ``set_aside_at``: a
    dispute) / missing, and ``changed_by``: loads that changed the record after the alert was last raised
    (its values then are kept as a version)."""
    since = alert.get("last_seen")
    rows = read(driver, settings, CYPHER.load("sources"), shallow=True, since=since,
                **_source_params(alert))
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        state = "current" if r["current"] else r["withdrawn"] or "missing"
        entry = {"id": r["id"], "state": state, "file": r["file"], "line": r["line"], "load_id": r["load_id"],
                 "loaded_at": r["loaded_at"], "changed_by": sorted(set(r["changed_by"]))}
        if r["withdrawn"]:
            entry[f"{r['withdrawn']}_by"], entry[f"{r['withdrawn']}_at"] = r["withdrawn_by"], r["withdrawn_at"]
        kept = found.get((r["kind"], r["id"]))
        # one entry per record: the current one, else the latest withdrawal
        if kept is None or state == "current" or (kept["state"] != "current" and (r["withdrawn_at"] or "") > kept["_at"]):
            entry["_at"] = r["withdrawn_at"] or ""
            found[(r["kind"], r["id"])] = entry
    for entry in found.values():
        entry.pop("_at", None)
    for rec in alert["evidence"]:
        kind, ids = _names(rec)
        if kind:
            rec["sources"] = [found[(kind, i)] for i in ids if (kind, i) in found]
        elif rec.get("kind") in ("member", "declared") and len(ids) == 2:
            key = (rec["kind"], f"{ids[0]}|{ids[1]}")
            rec["sources"] = [found[key]] if key in found else []


def get_alert(driver: Driver, settings: Settings, alert_id: str, scope: str | None = None) -> dict[str, Any] | None:
    """One alert with its events and evidence subgraph ("graph": {"nodes", "edges"}), or None (also
    when ``scope``, a provincial user's province, is none of the provinces of its units)."""
    rows = read(driver, settings, CYPHER.load("get"), alert_id=alert_id)
    if not rows or (scope and scope not in rows[0]["provinces"]):
        return None
    alert = _public(rows[0]["alert"])
    alert["provinces"] = rows[0]["provinces"]
    alert["events"] = [{k: _plain(e.get(k)) for k in EVENT_FIELDS} for e in rows[0]["events"]]
    for e in alert["events"]:
        if isinstance(e.get("outcome"), str):
            e["outcome"] = json.loads(e["outcome"])
    alert["graph"] = _graph(driver, settings, alert)
    evidence_sources(driver, settings, alert)
    return alert


NATIONAL_AUTHORITY = "自然资源部"


def authority_of(actor: Principal) -> str:
    """The deciding authority of a penalty, from the inspector's scope."""
    return f"{actor.province}自然资源主管部门" if actor.province else NATIONAL_AUTHORITY


def _check_needs(d: Decision) -> None:
    """What each target status needs besides the transition itself (AlertStatusError otherwise)."""
    target = d.target()
    if d.outcome is not None and d.status not in ("confirmed", target):
        raise AlertStatusError(f"an outcome is posted with status confirmed (not {d.status!r})")
    if target not in STATUSES or target == "closed":
        raise AlertStatusError(f"status must be one of {', '.join(s for s in STATUSES if s != 'closed')} (not {target!r})")
    if target in ("dismissed", "open") and not d.comment.strip():
        raise AlertStatusError("dismissing or reopening an alert needs a comment (the reason)")
    if target == "assigned" and not (d.assignee and d.assignee.strip()):
        raise AlertStatusError("assigning an alert needs an assignee")
    if target == "rectification" and (d.outcome is None or d.outcome.deadline is None):
        raise AlertStatusError("a rectification outcome needs a deadline")
    if target == "penalized" and (d.outcome is None or d.outcome.points is None or not 0 <= d.outcome.points <= 1000):
        raise AlertStatusError("a penalty outcome needs points (0-1000)")


def _assignee(tx: ManagedTransaction, ref: str, provinces: list[str]) -> dict[str, Any]:
    """The user an alert is assigned to, by user_id or name: an active inspector/admin who can see it."""
    rows = [dict(r) for r in tx.run(CYPHER.load("assignee"), ref=ref.strip())]
    if len(rows) != 1:
        raise AlertStatusError(f"assignee {ref!r}: {'no such user' if not rows else 'several users have that name'}")
    user = rows[0]
    if user["role"] not in ("inspector", "admin") or user["disabled"]:
        raise AlertStatusError(f"assignee {ref!r} is not an active inspector or admin")
    if user["province"] and user["province"] not in provinces:
        raise AlertStatusError(f"assignee {ref!r} works in {user['province']}, outside this alert's provinces")
    return user


def _penalty(tx: ManagedTransaction, alert: dict[str, Any], outcome: Outcome, actor: Principal,
             today: date, now: datetime) -> str:
    """Create the violation record of a penalty outcome; returns its id."""
    concerned = list(alert["person_ids"] or []) + list(alert["unit_ids"] or [])
    subjects = list(outcome.subject_ids) or concerned
    stray = [x for x in subjects if x not in concerned]
    if stray or not subjects:
        raise AlertStatusError("a penalty is against persons or units the alert concerns"
                               + (f" (not {', '.join(stray)})" if stray else ""))
    persons = set(alert["person_ids"] or [])
    kinds = {"个人" if x in persons else "单位" for x in subjects}
    rule = alert["rule"] or ""
    violation_id = f"V-{alert['alert_id']}"
    tx.run(CYPHER.load("penalty"), alert_id=alert["alert_id"], violation_id=violation_id,
           subject_type="/".join(sorted(kinds, reverse=True)), subject_id=subjects[0], subject_ids=subjects,
           category=f"{PENALTY_CATEGORY.get(rule, '违规')}（{RULE_NAMES.get(rule, rule)}）",
           severity=PENALTY_SEVERITY.get(alert["severity"] or "", "一般"), decided=today,
           authority=authority_of(actor), penalty=(outcome.penalty or "信用扣分").strip(), points=outcome.points,
           description=f"预警 {alert['alert_id']} 查实：{alert['summary'] or ''}", actor=actor.user_id, now=now).consume()
    return violation_id


def set_alert_status(driver: Driver, settings: Settings, alert_id: str, decision: Decision,
                     actor: Principal) -> dict[str, Any]:
    """Apply ``decision`` to an alert as ``actor``: the status change, its event, its audit event, a
    penalty's violation record and the graph version, all in one transaction.

    Raises AlertNotFoundError (no such alert, or outside a provincial actor's province),
    AlertStatusError (the decision lacks what it needs) and AlertTransitionError (409: the lifecycle
    does not allow it from the current status; ``details`` name the status and what it allows).
    Returns the alert as get_alert does.
    """
    if not actor.user_id.strip():
        raise AlertStatusError("actor is required")
    _check_needs(decision)
    target = decision.target()
    now = datetime.now(UTC)

    def work(tx: ManagedTransaction) -> None:
        rec = tx.run(CYPHER.load("status_of"), id=alert_id).single()
        if rec is None or (actor.province and actor.province not in rec["provinces"]):
            raise AlertNotFoundError(alert_id)
        alert = dict(rec)
        before = alert["status"] or "open"
        allowed = TRANSITIONS.get(before, ())
        if target not in allowed:
            raise AlertTransitionError(
                f"alert {alert_id} is {before}; it cannot become {target}"
                + (f" (allowed: {', '.join(allowed)})" if allowed else " (no change is allowed)"),
                details={"status": before, "allowed": list(allowed)})
        assignee = _assignee(tx, decision.assignee or "", alert["provinces"]) if target == "assigned" else None
        o = decision.outcome
        violation_id = _penalty(tx, alert, o, actor, settings.today(), now) if o and target == "penalized" else None
        outcome = None if o is None else json.dumps(
            {"kind": o.kind, "deadline": o.deadline.isoformat() if o.deadline else None, "points": o.points,
             "penalty": o.penalty, "violation_id": violation_id}, ensure_ascii=False)
        tx.run(CYPHER.load("set_status"), alert_id=alert_id, from_status=before, to_status=target,
               comment=decision.comment.strip(), actor=actor.user_id, now=now,
               assignee=assignee["user_id"] if assignee else None, due=decision.due,
               deadline=o.deadline if o else None, outcome=outcome, violation_id=violation_id).consume()
        if assignee is not None:
            due = f"，期限 {decision.due.isoformat()}" if decision.due else ""
            notify_in(tx, [Notice(f"assigned|{alert_id}|{now.isoformat()}", assignee["user_id"], "assigned",
                                  f"分派给您的预警 {alert_id}（{RULE_NAMES.get(alert['rule'] or '', '')}）{due}",
                                  f"/alerts/{alert_id}", alert_id)], now)
        record_in(tx, actor, "alert_status", alert_id,
                  {"from": before, "to": target, "comment": decision.comment.strip(),
                   "assignee": assignee["user_id"] if assignee else None,
                   "due": decision.due.isoformat() if decision.due else None, "outcome": outcome})
        bump_in(tx, "alert status")

    with driver.session(database=settings.neo4j_database) as session:
        session.execute_write(work)
    out = get_alert(driver, settings, alert_id)
    assert out is not None
    return out
