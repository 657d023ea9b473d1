"""History and provenance over HTTP (DESIGN.md "Data lifecycle"): inspectors and admins see each fact's
source (file, line, load), earlier values and retired records in the portrait and on the unit page, and
in an alert's evidence which load brought each record and whether it was retired or changed since;
masked roles (manager, unit_hr) get none of it. Built the way an operator would: real loads (an extract,
a corrected one, a snapshot), real detection, the real app over HTTP, the pages in headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import Driver

from api.app import create_app
from graph.settings import Settings
from ingest.loader import load_folder
from queries.alerts import detect_and_store
from queries.users import create_user
from tests.api.conftest import ThreadServer
from tests.conftest import free_port
from tests.ingest.conftest import P1, U1, U2, wipe, world, write_folder

CHROMIUM = "/usr/bin/chromium"


@dataclass
class History:
    base: str
    tokens: dict[str, str]
    loads: dict[str, str]
    alert_id: str

    def get(self, who: str, path: str) -> httpx.Response:
        with httpx.Client(base_url=self.base, timeout=120, headers={"Authorization": f"Bearer {self.tokens[who]}"}) as c:
            return c.get(path)


@pytest.fixture(scope="module")
def hist(settings: Settings, db: Driver, tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    root = tmp_path_factory.mktemp("history")
    s = settings.model_copy(update={"snapshot_max_retire_share": 1.0, "as_of": date(2024, 1, 1)})
    wipe(db, s)
    data = world()
    # P1 also worked at U2 for two years while employed at U1: a CL2 (多处执业) alert.
    data["employments"].append({"person_id": P1, "unit_id": U2, "start_date": "2020-01-01", "end_date": "2021-12-31",
                                "position": "兼职"})
    first = load_folder(db, s, write_folder(root / "first", data)).load_id
    alerts = detect_and_store(db, s, date(2024, 1, 1), ["CL2"], person_id=P1)
    assert [a.rule for a in alerts] == ["CL2"]
    # A corrected extract: P1's title and position at U1 changed ...
    data["persons"][0]["title"] = "正高级工程师"
    data["employments"][0]["position"] = "院长"
    corrected = load_folder(db, s, write_folder(root / "corrected", {"persons": data["persons"],
                                                                     "employments": data["employments"]})).load_id
    # ... then a snapshot without the U2 employment: withdrawn at the source.
    current = [e for e in data["employments"] if not (e["person_id"] == P1 and e["unit_id"] == U2)]
    snapshot = load_folder(db, s, write_folder(root / "snapshot", {"employments": current}), snapshot=True).load_id
    tokens = {}
    for who, role, unit in [("manager", "manager", None), ("inspector", "inspector", None), ("admin", "admin", None),
                            ("hr", "unit_hr", U1)]:
        _, tokens[who] = create_user(db, s, role, unit, f"history {who}")
    srv = ThreadServer(create_app(s, driver=db, load_models=False, warm_nlp=False), free_port())
    base = srv.start()
    yield History(base, tokens, {"first": first, "corrected": corrected, "snapshot": snapshot}, alerts[0].alert_id)
    srv.stop()


def test_inspectors_see_sources_versions_and_retired_records(hist: History) -> None:
    r = hist.get("inspector", f"/api/persons/{P1}")
    assert r.status_code == 200
    p = r.json()
    assert p["source"]["file"] == "persons.csv" and p["source"]["line"] == 2
    assert p["source"]["load_id"] == hist.loads["corrected"]
    emp = {e["unit_id"]: e for e in p["employments"]}
    assert set(emp) == {U1}  # the retired employment is not a current fact
    assert emp[U1]["source"] == {"file": "employments.csv", "line": 2, "load_id": hist.loads["corrected"],
                                 "loaded_at": emp[U1]["source"]["loaded_at"]}
    versions = {v["kind"]: v for v in p["history"]["versions"]}
    assert versions["person"]["values"]["title"] == "高级工程师"
    assert versions["person"]["source"]["load_id"] == hist.loads["first"]
    assert versions["person"]["replaced_by"] == hist.loads["corrected"] and versions["person"]["state"] == "changed"
    assert versions["employment"]["values"]["position"] == "所长"
    assert versions["employment"]["key"] == f"{P1}|{U1}|2019-01-01"
    [retired] = p["history"]["withdrawn"]
    assert retired["kind"] == "employment" and retired["state"] == "retired"
    assert retired["key"] == f"{P1}|{U2}|2020-01-01" and retired["values"]["position"] == "兼职"
    assert retired["retired_by"] == hist.loads["snapshot"]
    assert retired["source"]["file"] == "employments.csv" and retired["source"]["load_id"] == hist.loads["first"]


def test_masked_roles_get_no_history(hist: History) -> None:
    for who in ("manager", "hr"):
        r = hist.get(who, f"/api/persons/{P1}")
        assert r.status_code == 200, who
        body = r.json()
        assert body.get("history") is None and body.get("source") is None, who
        assert all("source" not in e for e in body["employments"]), who
        assert "高级工程师" not in r.text.replace("正高级工程师", ""), who  # the old title leaks nowhere
    r = hist.get("manager", f"/api/units/{U2}")
    assert r.status_code == 200 and r.json().get("history") is None and r.json().get("source") is None


def test_the_unit_page_shows_the_unit_history(hist: History) -> None:
    r = hist.get("admin", f"/api/units/{U2}")
    assert r.status_code == 200
    body = r.json()
    assert body["source"]["file"] == "units.csv"
    assert [(x["kind"], x["key"], x["retired_by"]) for x in body["history"]["withdrawn"]] == [
        ("employment", f"{P1}|{U2}|2020-01-01", hist.loads["snapshot"])]
    r = hist.get("inspector", f"/api/units/{U1}")
    kinds = {v["kind"] for v in r.json()["history"]["versions"]}
    assert kinds == {"employment"}  # P1's position at U1 changed


def test_alert_evidence_names_the_load_of_each_record(hist: History) -> None:
    r = hist.get("inspector", f"/api/alerts/{hist.alert_id}")
    assert r.status_code == 200
    sources = {s["id"]: s for rec in r.json()["evidence"] for s in rec.get("sources", [])}
    at_u1, at_u2 = f"{P1}|{U1}|2019-01-01", f"{P1}|{U2}|2020-01-01"
    assert sources[at_u2]["state"] == "retired" and sources[at_u2]["retired_by"] == hist.loads["snapshot"]
    assert sources[at_u2]["load_id"] == hist.loads["first"] and sources[at_u2]["file"] == "employments.csv"
    # Still current, but changed after the alert was raised: its values then are a version.
    assert sources[at_u1]["state"] == "current" and sources[at_u1]["changed_by"] == [hist.loads["corrected"]]


def test_openapi_declares_the_history(hist: History) -> None:
    spec = httpx.get(hist.base + "/openapi.json", timeout=60).json()
    assert "history" in spec["components"]["schemas"]["PortraitPublic"]["properties"]
    assert "history" in spec["components"]["schemas"]["UnitPublic"]["properties"]


@pytest.mark.browser
def test_the_person_page_shows_history_to_inspectors_only(hist: History) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    from playwright.sync_api import sync_playwright  # the browser driver: only the browser tests need it

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        ref = hist.get("manager", f"/api/persons/{P1}").json()["person_ref"]  # pages link persons by pseudonym
        try:
            seen: dict[str, Any] = {}
            for who in ("inspector", "manager"):
                page = browser.new_context(locale="zh-CN").new_page()
                page.set_default_timeout(120_000)
                errors: list[str] = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.goto(hist.base + "/login")
                page.fill("#token", hist.tokens[who])
                page.click("#signin")
                page.wait_for_url(hist.base + "/")
                page.goto(hist.base + f"/persons/{ref}")
                page.wait_for_selector(".hero")
                seen[who] = (page.locator("#history").count(), page.inner_text("#main"), errors)
            count, text, errors = seen["inspector"]
            assert count == 1 and errors == []
            assert "历史记录与数据来源" in text and "已退役" in text and hist.loads["snapshot"] in text
            assert "employments.csv 第 2 行" in text
            count, text, errors = seen["manager"]
            assert count == 0 and errors == [] and hist.loads["snapshot"] not in text
        finally:
            browser.close()
