"""Alerts in the graph: storing detection results, the inspector workflow, listing and evidence.

Workflow: a new alert is ``open``; an inspector sets it ``confirmed`` or ``dismissed`` (with a
reason; either can be reopened); a detection run closes (``closed``) open alerts of its scope that
it no longer raises and reopens closed ones that hold again. Confirmed/dismissed alerts keep their
status across runs. Each change is an ``AlertEvent`` (at, actor, from_status, to_status, reason).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.db import batched, read, write
from graph.errors import InvalidInput, NotFound
from graph.settings import Settings
from graph.version import bump, bump_in
from queries.detect import Alert, parse_rules, run_detection

CYPHER = CypherFiles(__file__, "alerts")
EVENT_FIELDS = ("at", "actor", "from_status", "to_status", "reason")

STATUSES = ("open", "confirmed", "dismissed", "closed")
# Inspector transitions; "closed" is set only by detection.
TRANSITIONS = {
    "open": {"confirmed", "dismissed"},
    "confirmed": {"dismissed", "open"},
    "dismissed": {"confirmed", "open"},
    "closed": {"open", "confirmed", "dismissed"},
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
    """A status change that the workflow does not allow (or lacks its reason/actor)."""


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
                 rules: Iterable[str], person_id: str | None = None) -> dict[str, int]:
    """Write ``alerts`` to the graph and close open alerts of this scope that were not raised.

    The scope is the rule codes that were run and, for a --person run, alerts naming that person.
    Returns {"stored": n, "closed": m}.
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
                run_id=run_id, now=now)
    bump(driver, settings, "detect")
    return {"stored": stored, "closed": res[0]["closed"] if res else 0}


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
    }


def list_alerts(driver: Driver, settings: Settings, *, rule: str | None = None, severity: str | None = None,
                province: str | None = None, status: str | None = None, unit_id: str | None = None,
                person_id: str | None = None, page: int = 1, page_size: int = 50) -> dict[str, Any]:
    """Alerts matching the filters, most severe first: {"data": [...], "count": total}.

    ``province`` matches the province of any unit the alert concerns; ``unit_id`` keeps alerts
    concerning that unit (unit HR scope); ``person_id`` alerts naming that person.
    """
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), 500))
    rows = read(driver, settings, CYPHER.load("list"), rule=rule, severity=severity, status=status,
                province=province, unit_id=unit_id, person_id=person_id,
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


def get_alert(driver: Driver, settings: Settings, alert_id: str) -> dict[str, Any] | None:
    """One alert with its events and evidence subgraph ("graph": {"nodes", "edges"}), or None."""
    rows = read(driver, settings, CYPHER.load("get"), alert_id=alert_id)
    if not rows:
        return None
    alert = _public(rows[0]["alert"])
    alert["events"] = [{k: _plain(e.get(k)) for k in EVENT_FIELDS} for e in rows[0]["events"]]
    alert["graph"] = _graph(driver, settings, alert)
    return alert


def set_alert_status(driver: Driver, settings: Settings, alert_id: str, status: str, reason: str | None,
                     actor: str) -> dict[str, Any]:
    """Move an alert to ``status`` (confirmed/dismissed/open) recording reason, actor and time.

    Raises AlertNotFoundError if there is no such alert and AlertStatusError for a transition the
    workflow does not allow (dismissing needs a reason; everything needs an actor).
    Returns the alert as get_alert does.
    """
    if status not in {"open", "confirmed", "dismissed"}:
        raise AlertStatusError(f"status must be one of open, confirmed, dismissed (not {status!r})")
    if not actor or not actor.strip():
        raise AlertStatusError("actor is required")
    if status == "dismissed" and not (reason and reason.strip()):
        raise AlertStatusError("dismissing an alert needs a reason")

    def work(tx: Any) -> None:
        rec = tx.run(CYPHER.load("status_of"), id=alert_id).single()
        if rec is None:
            raise AlertNotFoundError(alert_id)
        before = rec["status"]
        if status not in TRANSITIONS.get(before, set()):
            raise AlertStatusError(f"alert {alert_id} is {before}; it cannot become {status}")
        tx.run(CYPHER.load("set_status"), alert_id=alert_id, from_status=before, to_status=status,
               reason=(reason or "").strip(), actor=actor.strip(), now=datetime.now(UTC)).consume()
        bump_in(tx, "alert status")

    with driver.session(database=settings.neo4j_database) as session:
        session.execute_write(work)
    out = get_alert(driver, settings, alert_id)
    assert out is not None
    return out
