"""Bad requests are 4xx with field errors, never 5xx; the portrait and search over HTTP."""

from __future__ import annotations

import pytest

from graph.db import read
from tests.api.conftest import P1, P3, UNIT_A, Site

# search and recommendation tag the query text: load spaCy/jieba once at startup
APP_OPTIONS = {"warm_nlp": True}


@pytest.mark.parametrize("path", [
    "/api/experts/search?page=0", "/api/experts/search?page=abc", "/api/experts/search?page_size=1000",
    "/api/alerts?severity=urgent", "/api/alerts?rule=cl1", "/api/alerts?status=maybe", "/api/alerts?page=-1",
    "/api/credit?grade=E", "/api/audit?page_size=0", "/api/experts/search?q=" + "规" * 300,
])
def test_bad_query_params_are_422(site: Site, path: str) -> None:
    r = site.get("admin", path)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail and detail[0]["loc"][0] == "query" and detail[0]["msg"]


@pytest.mark.parametrize("body", [None, {}, {"text": ""}, {"text": "总体规划", "k": 0}, {"text": "x", "k": "many"},
                                  {"text": "x", "as_of": "2024-13-01"}, {"text": "x", "unknown": 1},
                                  {"text": "x", "exclude_unit_ids": "notalist"}])
def test_bad_recommend_bodies_are_422(site: Site, body: dict | None) -> None:
    r = site.post("manager", "/api/experts/recommend", json=body)
    assert r.status_code == 422 and r.json()["detail"]


def test_malformed_json_is_422(site: Site) -> None:
    r = site.post("manager", "/api/experts/recommend", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422


def test_ingest_rejects_other_files(site: Site) -> None:
    r = site.post("admin", "/api/ingest", files={"files": ("evil.sh", b"rm -rf /")})
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "files", 0]
    assert site.post("admin", "/api/ingest").status_code == 422


def test_search_and_recommend(site: Site) -> None:
    r = site.get("manager", "/api/experts/search", params={"q": "张建国"})
    assert r.status_code == 200, r.text
    hits = r.json()["data"]
    assert hits and hits[0]["name"] == "张建国"
    assert "*" in hits[0]["person_id"] and hits[0]["person_ref"].startswith("p_")
    everyone = site.get("manager", "/api/experts/search").json()
    assert everyone["count"] == 2
    for q in ['"unbalanced', "AND OR (", "*", "规划~ [", "\\"]:  # Lucene syntax in user input is not a 5xx
        assert site.get("manager", "/api/experts/search", params={"q": q}).status_code < 500
    rec = site.post("manager", "/api/experts/recommend", json={"text": "国土空间总体规划 生态修复", "k": 5,
                                                                "exclude_unit_ids": [UNIT_A], "as_of": "2025-06-30"})
    assert rec.status_code == 200, rec.text
    body = rec.json()
    names = {e["name"] for e in body["experts"]}
    assert "张建国" not in names  # employed at the excluded unit
    assert any(x["expert_id"] == "E001" for x in body["excluded"])


def test_portrait_masked_for_manager_full_for_inspector(site: Site, db, settings) -> None:
    m = site.get("manager", f"/api/persons/{P1}")
    assert m.status_code == 200, m.text
    body = m.json()
    assert P1 not in m.text and "13812345678" not in m.text
    assert body["masked"] is True and body["identity"]["person_id"] == P1[:6] + "********" + P1[-4:]
    assert "alerts" not in body  # managers have no alerts
    # the pseudonym opens the same portrait, and a forged one is 404
    ref = body["person_ref"]
    assert site.get("manager", f"/api/persons/{ref}").json()["identity"]["name"] == "张建国"
    assert site.get("manager", f"/api/persons/{ref[:-3]}abc").status_code == 404
    i = site.get("inspector", f"/api/persons/{P3}")
    assert i.status_code == 200 and i.json()["identity"]["person_id"] == P3 and "13812345678" in i.text
    assert isinstance(i.json()["alerts"], list)
    rows = read(db, settings, "MATCH (e:AuditEvent {action: 'view_portrait', target: $p}) RETURN e.user_id AS u, e.at AS at", p=P3)
    assert rows and rows[0]["u"] == site.user_ids["inspector"]
    # a manager's masked view is not an unmasked view: not audited
    assert not read(db, settings, "MATCH (e:AuditEvent {action: 'view_portrait', target: $p}) RETURN e", p=P1)


def test_openapi_and_docs(site: Site) -> None:
    spec = site.get(None, "/openapi.json").json()
    for path in ("/api/experts/search", "/api/persons/{person_id}", "/api/alerts/{alert_id}/status", "/api/ingest", "/api/audit"):
        assert path in spec["paths"]
    assert site.get(None, "/docs").status_code == 200
