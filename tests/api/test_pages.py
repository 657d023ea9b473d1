"""The web pages end to end in headless Chromium, on a realistic graph.

The module builds its graph the way an operator would: `plantalent sample` writes the small
synthetic dataset, the admin uploads its files through POST /api/ingest, a job that loads them and
then tags, detects and grades credit. Playwright (Debian chromium, never a downloaded
browser) then signs in as each role. Screenshots go to tests/artifacts/screenshots/; the ones the
user guide shows are copied to docs/img/ when PLANTALENT_UPDATE_GUIDE_IMG=1 (an ordinary run leaves the
checked-in pictures alone: each run's pictures differ by their data and times).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import Driver

from api.app import create_app
from graph.db import read
from graph.settings import Settings
from tests.api.conftest import ThreadServer, make_users
from tests.conftest import free_port

pytestmark = pytest.mark.browser
INPUT_FILES = ("units", "persons", "registrations", "employments", "social_insurance", "experts", "projects",
               "project_members", "applications", "application_staff", "awards", "violations", "reorganizations")
REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "tests" / "artifacts" / "screenshots"
GUIDE_IMG = REPO / "docs" / "img"


def _cli(args: list[str], env: dict[str, str], timeout: int = 900) -> str:
    r = subprocess.run(["plantalent", *args], env=env, capture_output=True, text=True, timeout=timeout)
    assert r.returncode in (0, 3), f"plantalent {' '.join(args)} -> {r.returncode}\n{r.stderr[-3000:]}"
    return r.stdout


class Demo:
    def __init__(self, base: str, tokens: dict[str, str], hr_unit: str, other_unit: str, as_of: str, ingest: dict[str, Any]):
        self.base, self.tokens, self.hr_unit, self.other_unit, self.as_of, self.ingest = base, tokens, hr_unit, other_unit, as_of, ingest


@pytest.fixture(scope="module")
def demo(settings: Settings, db: Driver, cli_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("sample")
    _cli(["sample", "--out", str(folder), "--scale", "small", "--seed", "1"], cli_env)
    as_of = json.loads((folder / "sample_meta.json").read_text(encoding="utf-8"))["as_of"]
    app_settings = settings.model_copy(update={"as_of": date.fromisoformat(as_of)})
    tokens, _ = make_users(db, app_settings)
    rows = read(db, app_settings, "MATCH (u:Unit) RETURN u.unit_id AS u LIMIT 1")
    assert not rows  # users exist, data does not yet: the upload below loads it
    srv = ThreadServer(create_app(app_settings, driver=db, load_models=False, warm_nlp=True), free_port())
    base = srv.start()
    try:
        files = [("files", (p.name, p.read_bytes())) for name in INPUT_FILES for p in folder.glob(f"{name}.*")
                 if p.suffix in (".csv", ".xlsx")]
        with httpx.Client(base_url=base, timeout=900, headers={"Authorization": f"Bearer {tokens['admin']}"}) as c:
            r = c.post("/api/ingest", files=files)
            assert r.status_code == 202, r.text[:2000]
            # The upload is a job: it loads the files, then tags, detects and grades credit.
            job = r.json()
            deadline = time.monotonic() + 3600
            while job["status"] in ("queued", "running") and time.monotonic() < deadline:
                time.sleep(2)
                job = c.get(f"/api/jobs/{job['job_id']}").json()
        assert job["status"] == "done", job
        assert job["done_stages"] == ["load", "tag", "detect", "credit"]
        report = dict(job["outcome"]["load"], files=job["params"]["files"])
        # unit HR of the unit with most current staff; another unit to probe scope with
        top = read(db, app_settings, """
            MATCH (u:Unit)<-[:AT]-(e:Employment) WHERE e.end_date IS NULL
            RETURN u.unit_id AS u, count(*) AS n ORDER BY n DESC, u LIMIT 2""")
        from queries.users import create_user
        _, tokens["hr"] = create_user(db, app_settings, "unit_hr", top[0]["u"], "单位人事")
        yield Demo(base, tokens, top[0]["u"], top[1]["u"], as_of, report)
    finally:
        srv.stop()


GUIDE: dict[str, str] = {}


def shot(page: Any, name: str, guide: bool = True, full: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    if guide and os.environ.get("PLANTALENT_UPDATE_GUIDE_IMG") == "1":
        GUIDE_IMG.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, GUIDE_IMG / f"{name}.png")


def sign_in(browser: Any, demo: Demo, who: str) -> Any:
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = ctx.new_page()
    page.set_default_timeout(120_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page._plantalent_errors = errors  # type: ignore[attr-defined]
    page.goto(demo.base + "/login")
    page.fill("#token", demo.tokens[who])
    page.click("#signin")
    page.wait_for_url(demo.base + "/")
    page.wait_for_selector(".kpi")
    return page


def no_js_errors(page: Any) -> None:
    assert page._plantalent_errors == []


def test_ingest_report_over_api(demo: Demo) -> None:
    assert demo.ingest["loaded"] > 1000 and demo.ingest["exit_code"] in (0, 3)
    assert len(demo.ingest["files"]) == len(INPUT_FILES)


def test_sign_in_rejects_bad_token(browser: Any, demo: Demo) -> None:
    page = browser.new_page()
    page.goto(demo.base + "/experts")
    page.wait_for_url("**/login?next=%2Fexperts")
    page.fill("#token", "wrong")
    page.click("#signin")
    page.wait_for_selector("text=令牌无效")
    shot(page, "00-login")
    page.close()


def test_manager_dashboard_search_recommend_portrait(browser: Any, demo: Demo) -> None:
    page = sign_in(browser, demo, "manager")
    page.wait_for_selector(".bars .bar")
    shot(page, "01-dashboard")
    page.click("text=专家检索与推荐")
    page.wait_for_selector("#search-form")
    page.fill("#q", "总体规划")
    page.click("#search-btn")
    page.wait_for_selector("#main table tbody tr")
    assert "*" in page.inner_text("body") or page.locator("#main table tbody tr").count() > 0
    shot(page, "02-expert-search")
    page.click("text=专家组推荐")
    page.fill("#rec-form textarea", "某市国土空间总体规划（2021-2035年）成果技术审查，关注耕地保护与生态修复")
    page.click("#rec-btn")
    page.wait_for_selector("text=推荐专家（")
    shot(page, "03-expert-recommend")
    page.locator("#rec-form ~ div table tbody tr td a").first.click()
    page.wait_for_selector("text=画像标签")
    body = page.inner_text("body")
    assert "身份证号、出生日期、电话与邮箱已按权限脱敏显示" in body and "********" in body
    shot(page, "04-portrait-masked")
    no_js_errors(page)
    page.context.close()


def test_inspector_alert_graph_confirm(browser: Any, demo: Demo) -> None:
    page = sign_in(browser, demo, "inspector")
    page.click("text=预警核查")
    page.wait_for_selector("a.alert-link")
    shot(page, "05-alert-queue")
    page.locator("a.alert-link").first.click()
    page.wait_for_selector("#graph canvas")
    page.wait_for_timeout(800)
    nodes = page.evaluate("window._cy ? window._cy.nodes().length : 0")
    assert nodes >= 2
    shot(page, "06-alert-graph")
    # the lifecycle: assign (a name, with suggestions), confirm, penalize; then the printable report
    page.fill("#assignee", "test inspector")
    page.fill("#due", "2099-12-31")
    page.click("#btn-assign")
    page.wait_for_selector("#alert-status >> text=已分派")
    page.fill("#comment", "已调取社保缴费与注册记录，情况属实，移交处理。")
    page.click("#btn-confirm")
    page.wait_for_selector("#alert-status >> text=已确认")
    page.wait_for_selector("text=处理记录")
    page.fill("#points", "6")
    page.fill("#penalty", "通报批评")
    shot(page, "07-alert-confirmed")
    page.click("#btn-penalize")
    page.wait_for_selector("#alert-status >> text=已处罚")
    assert "V-" in page.inner_text("#alert-violation")
    shot(page, "07b-alert-penalized")
    with page.expect_download() as got:
        page.click("#btn-report")
    pdf = Path(got.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    # the unmasked portrait of a person named by the alert
    page.locator("dd a[href^='/persons/']").first.click()
    page.wait_for_selector("text=画像标签")
    assert "明文查看已记入审计日志" in page.inner_text("body")
    shot(page, "08-portrait-inspector")
    no_js_errors(page)
    page.context.close()


def test_unit_hr_sees_own_unit_only(browser: Any, demo: Demo) -> None:
    page = sign_in(browser, demo, "hr")
    page.click("text=本单位")
    page.wait_for_selector("text=仅显示当前在本单位任职或注册的人员")
    shot(page, "09-unit-hr")
    page.locator("#main table tbody tr td a[href^='/persons/']").first.click()
    page.wait_for_selector("text=画像标签")
    page.goto(demo.base + "/units/" + demo.other_unit)
    page.wait_for_selector("text=未找到")
    assert "预警核查" not in page.inner_text("header")
    no_js_errors(page)
    page.context.close()


def test_admin_audit_log(browser: Any, demo: Demo) -> None:
    page = sign_in(browser, demo, "admin")
    page.click("text=系统管理")
    page.wait_for_selector("text=alert_status")
    shot(page, "10-admin-audit")
    page.goto(demo.base + "/credit")
    page.wait_for_selector("text=信用等级")
    page.wait_for_selector("#main table")
    shot(page, "11-credit")
    no_js_errors(page)
    page.context.close()


def test_manager_builds_panels_exports_and_saves(browser: Any, demo: Demo) -> None:
    from openpyxl import load_workbook

    page = sign_in(browser, demo, "manager")
    page.click("text=评审专家组")
    page.wait_for_selector("#panels-form")
    page.fill("input[name=as_of]", demo.as_of)
    page.fill("input[name=alternates]", "1")
    for k in page.locator("#panels-form input[name=k]").all():
        k.fill("3")
    page.click("#assign-btn")
    page.wait_for_selector(".panel-result, #infeasible")
    cards = page.locator(".panel-result")
    assert cards.count() + page.locator("#infeasible tbody tr").count() == 2
    assert cards.count() >= 1 and page.locator(".panel-result .chip.met").count() >= 3
    assert page.locator(".panel-result .chip.broken").count() == 0  # a filled panel meets every rule
    shot(page, "12-panels")
    with page.expect_download() as download:
        page.click("#export-btn")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(workbook["名单"].iter_rows(values_only=True))
    assert rows[0][6] == "身份证号" and len(rows) > 1 and all("********" in str(r[6]) for r in rows[1:])
    page.locator(".panel-result button.ok").first.click()
    page.wait_for_selector("#saved table tbody tr")
    # the random draw, published with its record
    page.select_option("#mode", "random")
    page.click("#assign-btn")
    page.wait_for_selector("#draw-link")
    page.click("#draw-link")
    page.wait_for_selector("#draw table tbody tr")
    no_js_errors(page)
    page.context.close()


def test_search_box_inbox_and_exports(browser: Any, demo: Demo) -> None:
    page = sign_in(browser, demo, "inspector")
    # the detection run told the inspector about new alerts: the badge shows them
    page.wait_for_selector("#inbox-count:not([hidden])")
    assert int(page.inner_text("#inbox-count")) >= 1
    # the search box: a unit's name gives suggestions; Enter lists persons, units and projects
    name = read_name(demo, demo.hr_unit)
    page.fill("#lookup", name[:4])
    page.wait_for_selector("ul.suggestions li b")
    shot(page, "12-search-suggest", full=False)
    page.press("#lookup", "Enter")
    page.wait_for_selector("#found-units table")
    assert name in page.inner_text("#found-units")
    shot(page, "13-search-results")
    page.click("#inbox-link")
    page.wait_for_selector("text=检测新增预警")
    shot(page, "14-inbox")
    page.click("#read-all")
    page.wait_for_selector("#inbox-count[hidden]", state="attached")
    # exports: the alert list and credit grades as Excel, the inspection draw
    page.goto(demo.base + "/alerts")
    page.wait_for_selector("a.alert-link")
    with page.expect_download() as got:
        page.click("#btn-export")
    assert Path(got.value.path()).read_bytes().startswith(b"PK")
    page.goto(demo.base + "/credit")
    page.wait_for_selector("#btn-draw")
    with page.expect_download() as got:
        page.click("#btn-credit-export")
    assert Path(got.value.path()).read_bytes().startswith(b"PK")
    with page.expect_download() as got:
        page.click("#btn-draw")
    assert got.value.suggested_filename.endswith(".xlsx")
    no_js_errors(page)
    page.context.close()


def test_expert_form_takes_a_unit_name(browser: Any, demo: Demo) -> None:
    page = sign_in(browser, demo, "manager")
    page.goto(demo.base + "/experts")
    page.click("text=专家组推荐")
    name = read_name(demo, demo.hr_unit)
    page.fill("#exclude", name[:4])
    page.wait_for_selector("ul.suggestions li b")
    page.locator("ul.suggestions li", has_text=name).first.dispatch_event("mousedown")
    assert demo.hr_unit in page.input_value("#exclude")
    no_js_errors(page)
    page.context.close()


def test_unit_hr_roster_dispute_and_inspector_resolves(browser: Any, demo: Demo) -> None:
    page = sign_in(browser, demo, "hr")
    page.wait_for_selector("#roster table tbody tr")
    assert "本单位人员" in page.inner_text("h1") and "规划单位按区域" not in page.inner_text("body")
    shot(page, "15-unit-hr-roster")
    page.locator("#roster a:has-text('提出异议')").first.click()
    page.wait_for_selector("#dispute-record")
    page.fill("#dispute-reason", "该人员已于本年初离职，任职记录未终止。")
    shot(page, "16-dispute-form")
    page.click("#btn-dispute")
    page.wait_for_selector(".toast.show >> text=已提交异议")
    page.goto(demo.base + "/disputes")
    page.wait_for_selector("#main table tbody tr")
    assert "待处理" in page.inner_text("#main table")
    no_js_errors(page)
    page.context.close()

    page = sign_in(browser, demo, "inspector")
    page.goto(demo.base + "/disputes")
    page.wait_for_selector("#main table tbody tr")
    shot(page, "17-dispute-queue")
    page.locator("#main table tbody tr button:has-text('驳回')").first.click()
    page.wait_for_selector(".toast.show >> text=驳回异议须填写理由")
    page.locator("#main table tbody tr input").first.fill("经核对劳动合同，任职记录无误。")
    page.locator("#main table tbody tr button:has-text('驳回')").first.click()
    page.wait_for_selector(".toast.show >> text=异议已驳回")
    no_js_errors(page)
    page.context.close()

    page = sign_in(browser, demo, "hr")
    page.wait_for_selector("#inbox-count:not([hidden])")
    page.click("#inbox-link")
    page.wait_for_selector("text=不成立")
    no_js_errors(page)
    page.context.close()


def read_name(demo: Demo, unit_id: str) -> str:
    with httpx.Client(base_url=demo.base, headers={"Authorization": f"Bearer {demo.tokens['admin']}"}) as c:
        return str(c.get(f"/api/units/{unit_id}").json()["unit"]["name"])
