"""Review panels and pool decisions over HTTP: roles, masking, bad input, saving, ratings, export."""

from __future__ import annotations

import io
from typing import Any

from neo4j import Driver
from openpyxl import load_workbook

from graph.db import read
from graph.settings import Settings
from tests.api.conftest import P1, P3, UNIT_B, Site

AS_OF = "2024-12-31"


def batch(*panels: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"as_of": AS_OF, "seed": 5, "mode": "optimal", "constraints": {}, "panels": list(panels), **kw}


def panel(pid: str = "P-1", k: int = 2, **kw: Any) -> dict[str, Any]:
    return {"panel_id": pid, "text": "国土空间总体规划成果评审", "k": k, "province": "浙江省", **kw}


def test_manager_assigns_a_panel_and_sees_masked_ids(site: Site) -> None:
    r = site.post("manager", "/api/panels/assign", json=batch(panel(), constraints={"min_outside_province": 1,
                                                                                    "max_per_unit": 1, "min_senior": 1}))
    assert r.status_code == 200, r.text
    body = r.json()
    experts = body["panels"][0]["experts"]
    assert sorted(e["expert_id"] for e in experts) == ["E001", "E002"] and body["infeasible"] == []
    assert all("********" in e["person_id"] and e["person_ref"].startswith("p_") for e in experts)
    assert P1 not in r.text and P3 not in r.text
    assert {c["constraint"]: c["met"] for c in body["panels"][0]["checks"]} == {
        "max_per_unit": True, "min_outside_province": True, "min_senior": True}
    e002 = next(e for e in experts if e["expert_id"] == "E002")
    assert e002["unit_id"] == UNIT_B and e002["province"] == "江苏省"
    assert site.post("hr_a", "/api/panels/assign", json=batch(panel())).status_code == 404


def test_bad_batches_are_refused_with_the_reason(site: Site) -> None:
    r = site.post("manager", "/api/panels/assign", json=batch(panel(), constraints={"max_per_province": 1}))
    assert r.status_code == 422 and "未知的约束条件 max_per_province" in r.text
    r = site.post("manager", "/api/panels/assign", json=batch(panel(k=3)))
    assert r.status_code == 422 and "k=3" in r.json()["detail"] and "P-1" in r.json()["detail"]
    r = site.post("manager", "/api/panels/assign", json=batch(*[panel(f"P{i}", k=1) for i in range(501)]))
    assert r.status_code == 413 and "至多 500 个" in r.json()["detail"]
    r = site.post("manager", "/api/panels/assign", json=batch(panel(), mode="random", seed=None))
    assert r.status_code == 422 and "seed" in r.text
    r = site.post("manager", "/api/panels/assign", json=batch(panel("X"), panel("X")))
    assert r.status_code == 422 and "重复" in r.text


def test_infeasible_panel_names_its_rule(site: Site) -> None:
    r = site.post("manager", "/api/panels/assign", json=batch(panel(), constraints={"min_outside_province": 2}))
    assert r.status_code == 200
    assert r.json()["infeasible"][0]["constraint"] == "min_outside_province"


def test_random_draw_is_published(site: Site) -> None:
    b = batch(panel(k=1), mode="random", seed=99, alternates=1)
    one, two = (site.post("manager", "/api/panels/assign", json=b).json() for _ in range(2))
    assert one == two
    drawn = site.get("manager", f"/api/panels/draws/{one['draw_id']}").json()
    assert drawn["seed"] == 99 and drawn["record"]["panels"][0]["steps"][0]["drawn"] == one["panels"][0]["experts"][0]["expert_id"]
    assert one["panels"][0]["alternates"][0]["expert_id"] != one["panels"][0]["experts"][0]["expert_id"]


def test_pool_status_decision_is_audited_and_kept(site: Site, db: Driver, settings: Settings) -> None:
    assert site.post("inspector", "/api/experts/E002/status", json={"status": "暂停", "reason": "x"}).status_code == 404
    r = site.post("manager", "/api/experts/E002/status", json={"status": "暂停", "reason": "健康原因暂停"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "暂停" and r.json()["history"][-1]["reason"] == "健康原因暂停"
    rows = read(db, settings, "MATCH (a:AuditEvent {action: 'expert_status', target: 'E002'}) RETURN a.user_id AS u")
    assert rows == [{"u": site.user_ids["manager"]}]
    r = site.post("manager", "/api/panels/assign", json=batch(panel(k=1), constraints={"min_outside_province": 1}))
    assert r.json()["infeasible"][0]["constraint"] == "min_outside_province"  # E002 was the one from outside
    assert site.post("manager", "/api/experts/E002/status", json={"status": "休假", "reason": "x"}).status_code == 422
    assert site.post("manager", "/api/experts/NOPE/status", json={"status": "在库", "reason": "x"}).status_code == 404
    back = site.post("admin", "/api/experts/E002/status", json={"status": "在库", "reason": "恢复"})
    assert back.status_code == 200 and [h["status"] for h in back.json()["history"]][-2:] == ["暂停", "在库"]
    assert site.get("manager", "/api/experts/E002/status").json()["status"] == "在库"


def test_save_and_rate_by_managers(site: Site) -> None:
    body = {"as_of": "2024-06-01", "text": "总体规划评审", "experts": ["E001", "E002"]}
    assert site.post("inspector", "/api/panels/H-1/save", json=body).status_code == 404
    r = site.post("manager", "/api/panels/H-1/save", json=body)
    assert r.status_code == 200, r.text
    assert [m["expert_id"] for m in r.json()["roster"]] == ["E001", "E002"]
    assert site.post("manager", "/api/panels/H-1/save", json={**body, "experts": ["E001"]}).status_code == 409
    r = site.post("manager", "/api/panels/H-1/ratings", json={"ratings": [{"expert_id": "E001", "rating": 4}]})
    assert r.status_code == 200 and r.json()["roster"][0]["rating"] == 4
    assert site.post("manager", "/api/panels/H-1/ratings", json={"ratings": [{"expert_id": "E001", "rating": 6}]}).status_code == 422
    assert site.post("manager", "/api/panels/NOPE/ratings", json={"ratings": [{"expert_id": "E001", "rating": 3}]}).status_code == 404
    listed = site.get("manager", "/api/panels").json()
    assert listed["count"] == 1 and listed["data"][0]["rated"] == 1
    portrait = site.get("manager", f"/api/persons/{P1}").json()
    assert portrait["expert"]["panels_served"] == 1 and portrait["expert"]["records"][0]["ratings"]["mean"] == 4


def _sheet(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content))["名单"].iter_rows(values_only=True))


def test_roster_export_masks_for_managers_and_is_audited_unmasked(site: Site, db: Driver, settings: Settings) -> None:
    b = batch(panel(text="=HYPERLINK(\"http://x\")评审", k=2))
    r = site.post("manager", "/api/panels/export.xlsx", json=b)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(r.content)
    assert rows[0][:7] == ("评审组", "评审事项", "角色", "序号", "专家编号", "姓名", "身份证号")
    assert len(rows) == 3 and all("********" in row[6] for row in rows[1:])
    assert all(row[1].startswith("'=HYPERLINK") for row in rows[1:])
    r = site.post("admin", "/api/panels/export.xlsx", json=b)
    assert {row[6] for row in _sheet(r.content)[1:]} == {P1, P3}
    audit = read(db, settings, "MATCH (a:AuditEvent {action: 'panels_export_unmasked'}) RETURN a.user_id AS u")
    assert audit == [{"u": site.user_ids["admin"]}]
