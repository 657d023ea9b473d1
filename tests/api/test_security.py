"""Web hardening over real HTTP: security headers on every answer, bodies refused before they are read
(413, and 401 for an upload without a valid token), failed sign-ins limited per client, the sign-in
page redirecting only within the site, unmasked search results audited, and — with `plantalent serve`
processes — an access log without ID numbers and the same person_ref from every process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import Driver

from api.app import create_app
from graph.masking import mask_id
from graph.settings import Settings
from tests.api.conftest import P1, P2, UNIT_A, Site, ThreadServer, wait_until_serving
from tests.conftest import free_port

APP_OPTIONS = {"warm_nlp": True}


def _headers_ok(r: httpx.Response) -> None:
    csp = r.headers.get("content-security-policy", "")
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'", csp  # scripts from this site only: no inline, no eval
    assert directives["frame-ancestors"] == "'none'" and directives["default-src"] == "'self'"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("who,method,path,status", [
    (None, "GET", "/", 200), (None, "GET", "/login", 200), (None, "GET", "/persons/p_x", 200),
    (None, "GET", "/static/common.js", 200), (None, "GET", "/static/swagger/swagger-ui-bundle.js", 200),
    (None, "GET", "/docs", 200), (None, "GET", "/openapi.json", 200), (None, "GET", "/api/health", 200),
    ("manager", "GET", "/api/stats", 200), ("manager", "GET", "/api/stats", 200),  # computed, then kept
    (None, "GET", "/api/stats", 401), ("manager", "GET", "/api/audit", 404), ("manager", "GET", "/nope", 404),
    ("manager", "GET", "/api/credit?grade=E", 422), ("manager", "DELETE", "/api/stats", 405),
    ("manager", "POST", "/api/experts/recommend", 422),
])
def test_every_answer_carries_the_security_headers(site: Site, who: str | None, method: str, path: str, status: int) -> None:
    with site.client(who) as c:
        r = c.request(method, path)
    assert r.status_code == status
    _headers_ok(r)


def test_docs_page_uses_no_inline_script(site: Site) -> None:
    html = site.get(None, "/docs").text
    assert "<script>" not in html and "cdn" not in html
    assert '<script src="/static/swagger/swagger-ui-bundle.js"></script>' in html


def _raw(site: Site, head: str, body: bytes = b"", wait_s: float = 30) -> tuple[int, bytes]:
    """Send a request's head (and ``body``) on a raw socket, without the rest of a declared body; the
    status line's code and what came back. An answer here was made without reading the body."""
    host, port = site.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait_s) as s:
        s.sendall(head.replace("\n", "\r\n").encode("utf-8") + b"\r\n" + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return int(data.split(b" ", 2)[1]), data


def test_oversized_body_is_413_before_it_is_read(site: Site) -> None:
    code, data = _raw(site, f"POST /api/experts/recommend HTTP/1.1\nHost: x\nAuthorization: Bearer {site.tokens['manager']}\n"
                            "Content-Type: application/json\nContent-Length: 50000000\n")
    assert code == 413 and b"content-security-policy" in data.lower()
    # The same over the limit of an upload (512 MB), and a streamed body that only passes it on the way.
    code, _ = _raw(site, f"POST /api/ingest HTTP/1.1\nHost: x\nAuthorization: Bearer {site.tokens['admin']}\n"
                         "Content-Type: multipart/form-data; boundary=b\nContent-Length: 600000000\n")
    assert code == 413

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'"}'

    r = httpx.post(f"{site.base}/api/experts/recommend", content=chunks(), timeout=60,
                   headers={"Authorization": f"Bearer {site.tokens['manager']}", "Content-Type": "application/json"})
    assert r.status_code == 413 and "request body too large" in r.json()["detail"]
    assert site.post("manager", "/api/experts/recommend", json={"text": "总体规划", "k": 3}).status_code == 200


@pytest.mark.parametrize("who,status", [(None, 401), ("bad", 401), ("manager", 404), ("inspector", 404)])
def test_upload_without_an_admin_token_is_refused_before_its_body_is_read(site: Site, who: str | None, status: int) -> None:
    auth = {None: "", "bad": "Authorization: Bearer not-a-token\n"}.get(who, f"Authorization: Bearer {site.tokens.get(who, '')}\n")
    # 100 MB declared (under the upload limit), none of it sent: the answer comes from the headers alone.
    code, _ = _raw(site, f"POST /api/ingest HTTP/1.1\nHost: x\n{auth}Content-Type: multipart/form-data; boundary=b\n"
                         "Content-Length: 100000000\n")
    assert code == status


def test_admin_upload_still_loads(site: Site) -> None:
    # The body limits stop no admin's upload: it is taken as a job (202), and the job ends.
    r = site.post("admin", "/api/ingest", files={"files": ("units.csv", b"unit_id,name\n")})
    assert r.status_code == 202, r.text
    job, deadline = r.json(), time.monotonic() + 900
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.5)
        job = site.get("admin", f"/api/jobs/{job['job_id']}").json()
    assert job["status"] == "done" and job["requested_by"] == site.user_ids["admin"], job
    assert job["outcome"]["load"]["rows"] == 0 and job["done_stages"] == ["load", "tag", "detect", "credit"]
    assert site.post("admin", "/api/ingest").status_code == 422


def test_unmasked_search_and_recommendation_are_audited(site: Site, db: Driver) -> None:
    # Until a kept answer is served (the expert index may renew once after the upload above).
    searches, kept = 0, False
    while not kept:
        r = site.get("inspector", "/api/experts/search", params={"q": "生态修复"})
        assert r.status_code == 200 and searches < 5
        searches, kept = searches + 1, r.headers["x-cache"] == "hit"
    assert site.post("admin", "/api/experts/recommend", json={"text": "国土空间总体规划", "k": 3}).status_code == 200
    assert site.get("manager", "/api/experts/search", params={"q": "生态修复"}).status_code == 200  # masked: not audited
    rows = db.execute_query("MATCH (e:AuditEvent) WHERE e.action IN ['view_experts', 'view_recommendation'] "
                            "RETURN e.user_id AS u, e.action AS a, e.detail AS d").records
    got = [(r["u"], r["a"]) for r in rows]
    assert got.count((site.user_ids["inspector"], "view_experts")) == searches  # the kept answer too
    assert (site.user_ids["admin"], "view_recommendation") in got
    assert all(r["u"] != site.user_ids["manager"] for r in rows)
    assert any("生态修复" in r["d"] for r in rows)


# --- failed sign-ins ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def strict(site: Site, db: Driver, settings: Settings) -> Iterator[str]:
    """A second app on the same graph that allows 3 failed sign-ins a minute."""
    srv = ThreadServer(create_app(settings.model_copy(update={"api_signin_limit": "3/minute"}), driver=db,
                                  load_models=False, warm_nlp=False), free_port())
    yield srv.start()
    srv.stop()


def test_failed_sign_ins_are_limited_per_client(site: Site, strict: str) -> None:
    good = {"Authorization": f"Bearer {site.tokens['manager']}"}
    with httpx.Client(base_url=strict, timeout=30) as c:
        assert c.get("/api/me", headers=good).status_code == 200
        bodies = {c.get("/api/me", headers={"Authorization": f"Bearer wrong-{i}"}).text for i in range(3)}
        assert len(bodies) == 1  # the same 401 each time
        limited = c.get("/api/me", headers={"Authorization": "Bearer wrong-4"})
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert c.get("/api/me", headers={"Authorization": f"Bearer {site.tokens['inspector']}"}).status_code == 429
        assert c.get("/api/me", headers=good).status_code == 200  # a signed-in user carries on


# --- the sign-in page --------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("next_,lands", [("/\\evil.example", "/"), ("//evil.example/x", "/"), ("https://evil.example/", "/"),
                                         ("/\t/evil.example", "/"), ("javascript:alert(1)", "/"), ("/credit?grade=A", "/credit?grade=A")])
def test_sign_in_redirects_only_within_the_site(browser: Any, site: Site, next_: str, lands: str) -> None:
    page = browser.new_context().new_page()
    csp_violations: list[str] = []
    page.on("console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{site.base}/login?" + httpx.QueryParams({"next": next_}).__str__())
    page.fill("#token", site.tokens["manager"])
    page.click("#signin")
    page.wait_for_url(f"{site.base}{lands}", timeout=60_000)
    assert page.url == f"{site.base}{lands}"
    assert not csp_violations
    page.context.close()


# --- serve processes: the access log and person refs from the graph -----------------------------------


def _serve(cli_env: dict[str, str], home: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    # Another PLANTALENT_HOME on the same Neo4j: nothing is shared but the graph.
    env = dict(cli_env, PLANTALENT_HOME=str(home), PLANTALENT_MANAGE_NEO4J="false")
    home.mkdir(parents=True, exist_ok=True)
    out = open(log, "wb")  # uvicorn's access log goes to stdout, the rest to stderr: both kept
    return subprocess.Popen([str(Path(sys.executable).parent / "plantalent"), "serve", "--port", str(port)],
                            env=env, stdout=out, stderr=out)


def _wait(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    wait_until_serving(base, proc, 300, lambda: log.read_text(errors="replace")[-3000:])


def test_serve_processes_log_no_id_and_give_the_same_refs(site: Site, settings: Settings, cli_env: dict[str, str],
                                                          tmp_path: Path) -> None:
    env = dict(cli_env, NEO4J_PASSWORD=settings.neo4j_password or "")
    ports = [free_port(), free_port()]
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    procs = [_serve(env, tmp_path / f"home-{i}", ports[i], logs[i]) for i in range(2)]
    try:
        refs = []
        for i, port in enumerate(ports):
            base = f"http://127.0.0.1:{port}"
            _wait(base, procs[i], logs[i])
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {site.tokens['inspector']}"}, timeout=60) as c:
                staff = c.get(f"/api/units/{UNIT_A}/staff").json()["data"]
                refs.append({s["person_id"]: s["person_ref"] for s in staff})
                assert c.get(f"/api/persons/{P1}").status_code == 200
                assert c.get("/api/alerts", params={"person_id": P2}).status_code == 200
                assert c.get(f"/persons/{P1}", follow_redirects=False).status_code == 308
        # The site of this module (a third process) gives the same pseudonyms too.
        here = {s["person_id"]: s["person_ref"] for s in site.get("inspector", f"/api/units/{UNIT_A}/staff").json()["data"]}
        assert refs[0] == refs[1] == here and P1 in here
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=60)
    for log in logs:
        text = log.read_text(errors="replace")
        assert "GET /api/units/" in text  # the access log is on
        assert P1 not in text and P2 not in text and P1.lower() not in text
        assert f"GET /api/persons/{mask_id(P1)} HTTP/1.1" in text
        assert f"person_id={mask_id(P2)}" in text
    assert not (tmp_path / "home-0" / "api-secret").exists()
    assert os.environ.get("PLANTALENT_API_SECRET") is None
