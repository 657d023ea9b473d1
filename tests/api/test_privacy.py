"""Masked views carry nothing that rebuilds an ID number, a birth date, a phone or an e-mail, on every
route a masked role can reach, computed or kept; unit HR sees other units' persons by name only and
nothing derived from alerts; every role's pages link persons by pseudonym (DESIGN.md "Privacy and
security").

The module's graph is the API seed plus personal data where it hides best: e-mails, a bio and a profile
text naming another person's ID, phone and e-mail, tag evidence quoting them, a collaborator from another
unit, and a credit grading whose factors and yellow list come from an open high-severity alert.
"""

from __future__ import annotations

import io
import subprocess
from datetime import date
from typing import Any

import openpyxl
import pytest
from neo4j import Driver

from graph.db import write
from graph.masking import mask_id
from graph.settings import Settings
from graph.version import bump
from queries.credit import compute_credit
from tests.api.conftest import CL2_ALERT, P1, P2, P3, P4, PHONE1, UNIT_A, UNIT_B, Site

APP_OPTIONS = {"warm_nlp": True}

EMAIL1, EMAIL3, UNIT_EMAIL = "zhang.jianguo@163.com", "wangfang@qq.com", "office@hzplan.cn"
PHONE3, LANDLINE = "13911112222", "0571-87654321"
PRIVATE = """
MATCH (p1:Person {person_id: $P1}), (p2:Person {person_id: $P2}), (p3:Person {person_id: $P3}),
      (j:Project {project_id: 'J001'}), (a:Unit {unit_id: $A})
SET p1.email = $E1, p3.email = $E3, a.email = $UE,
    p1.bio = '长期从事国土空间总体规划。合作者王芳（身份证 ' + $P3 + '，电话 ' + $PH3 + '，邮箱 ' + $E3 + '），座机 ' + $LL + '。',
    p1.profile_text = '张建国 ' + $P1 + ' ' + $PH1 + ' ' + $E1
CREATE (p3)-[:MEMBER_OF {role: '参与人员', unit_id: $B}]->(j)
CREATE (:Alert {alert_id: 'ALERT-TR2-0003', rule: 'TR2', severity: 'high', score: 0.8, status: 'open', summary: '借人申报',
                person_ids: [$P1], unit_ids: [$A], evidence: '[]', first_seen: datetime(), last_seen: datetime()})-[:CONCERNS]->(a)
CREATE (p2)-[:MEMBER_OF {role: '参与人员', unit_id: $A}]->(j)
CREATE (p1)-[:HAS_TAG {weight: 0.9, evidence: '[{"source": "bio", "text": "王芳 ' + $P3 + ' ' + $E3 + ' ' + $PH3 + '"}]',
                       updated_at: datetime()}]->(:Tag {tag_id: 'T-ECO', label: '生态修复', kind: 'taxonomy'})
"""

# Whatever a masked body must never contain: full IDs, their birth-date digits, phones, e-mails.
SECRETS = [P1, P2, P3, P4, P1.lower(), "19700101", "1970-01-01", "19800202", "1980-02-02", "19750303", "1975-03-03",
           "19850404", "1985-04-04", PHONE1, "13900001111", PHONE3, "13700002222", LANDLINE, "87654321", "88886666",
           EMAIL1, EMAIL3, UNIT_EMAIL, "zhang.jianguo", "wangfang@", "office@", '"birth_date"']
MANAGER_ROUTES = ["/api/me", f"/api/persons/{P1}", f"/api/persons/{P3}", f"/api/units/{UNIT_A}",
                  f"/api/units/{UNIT_A}/staff", f"/api/units/{UNIT_A}/credit", f"/api/units/{UNIT_B}",
                  f"/api/units/{UNIT_B}/staff", "/api/experts/search?q=生态修复", "/api/experts/search?q=张建国",
                  "/api/credit", "/api/yellow-list", "/api/stats",
                  # casework (issue 16): the search box by ID number, phone and name; the inbox; saved panels
                  f"/api/lookup?q={P1}", f"/api/lookup?q={P1.lower()}", f"/api/lookup?q={PHONE1}", "/api/lookup?q=张建国",
                  "/api/lookup?q=王芳", "/api/inbox", "/api/panels"]
HR_ROUTES = ["/api/me", f"/api/persons/{P1}", f"/api/persons/{P2}", f"/api/units/{UNIT_A}",
             f"/api/units/{UNIT_A}/staff", f"/api/units/{UNIT_A}/credit", "/api/credit", "/api/yellow-list", "/api/stats",
             f"/api/units/{UNIT_A}/roster", f"/api/lookup?q={P1}", "/api/lookup?q=张建国", "/api/inbox", "/api/disputes"]


@pytest.fixture(scope="module")
def private(site: Site, db: Driver, settings: Settings) -> Site:
    write(db, settings, PRIVATE, P1=P1, P2=P2, P3=P3, A=UNIT_A, B=UNIT_B, E1=EMAIL1, E3=EMAIL3, UE=UNIT_EMAIL,
          PH1=PHONE1, PH3=PHONE3, LL=LANDLINE)
    compute_credit(db, settings, date.today())  # grades both units; the open CL2 alert weighs on each
    bump(db, settings, "test data")
    return site


def _ref(private: Site, person_id: str) -> str:
    """The pseudonym of a person, from a manager's view of unit staff or a portrait."""
    for unit in (UNIT_A, UNIT_B):
        for s in private.get("manager", f"/api/units/{unit}/staff").json()["data"]:
            if s["person_id"] == mask_id(person_id) and s["name"]:
                return str(s["person_ref"])
    raise AssertionError(person_id)


def _no_secrets(text: str) -> None:
    leaked = [s for s in SECRETS if s in text]
    assert not leaked, leaked


def _read_twice(private: Site, who: str, path: str) -> list[str]:
    """The computed answer and the kept one (both must be masked)."""
    with private.client(who) as c:
        first = c.get(path, headers={"Cache-Control": "no-cache"})
        second = c.get(path)
    assert first.status_code == second.status_code == 200, (path, first.text[:300])
    return [first.text, second.text]


@pytest.mark.parametrize("path", MANAGER_ROUTES)
def test_manager_routes_carry_nothing_that_rebuilds_personal_data(private: Site, path: str) -> None:
    for text in _read_twice(private, "manager", path):
        _no_secrets(text)


def test_manager_recommendation_is_masked(private: Site) -> None:
    r = private.post("manager", "/api/experts/recommend", json={"text": "国土空间总体规划 生态修复", "k": 5})
    assert r.status_code == 200 and r.json()["experts"]
    _no_secrets(r.text)
    assert all(e["person_ref"].startswith("p_") for e in r.json()["experts"])


@pytest.mark.parametrize("path", HR_ROUTES)
def test_unit_hr_routes_carry_nothing_that_rebuilds_personal_data_or_alerts(private: Site, path: str) -> None:
    for text in _read_twice(private, "hr_a", path):
        _no_secrets(text)
        assert "预警" not in text and "CL2" not in text and "open_alerts" not in text and "alert" not in text


def _xlsx_text(body: bytes) -> str:
    """Every cell of a workbook, as text."""
    wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def test_manager_and_unit_hr_exports_carry_nothing_that_rebuilds_personal_data(private: Site) -> None:
    batch = {"as_of": "2024-12-31", "seed": 1, "mode": "optimal", "constraints": {},
             "panels": [{"panel_id": "PV1", "text": "国土空间总体规划 生态修复", "k": 2}]}
    rosters = private.post("manager", "/api/panels/export.xlsx", json=batch)
    assert rosters.status_code == 200, rosters.text[:300]
    text = _xlsx_text(rosters.content)
    _no_secrets(text)
    assert "********" in text  # the experts are there, by masked ID
    for who in ("manager", "hr_a"):
        credit = private.get(who, "/api/credit/export.xlsx")
        assert credit.status_code == 200
        _no_secrets(_xlsx_text(credit.content))
    assert "预警" not in _xlsx_text(private.get("hr_a", "/api/credit/export.xlsx").content)


def test_masked_portrait_shows_the_agreed_forms(private: Site) -> None:
    p = private.get("manager", f"/api/persons/{_ref(private, P1)}").json()
    ident = p["identity"]
    assert p["person_id"] == ident["person_id"] == P1[:6] + "********" + P1[-4:]
    assert ident["birth_year"] == 1970 and "birth_date" not in ident
    assert ident["phone"] == PHONE1[:3] + "****" + PHONE1[-4:]
    assert ident["email"] == "z***@163.com"
    assert f"{P3[:6]}********{P3[-4:]}" in ident["bio"] and "139****2222" in ident["bio"] and "w***@qq.com" in ident["bio"]
    assert "057******4321" in ident["bio"]
    assert ident["profile_text"].startswith(f"张建国 {P1[:6]}********")
    evidence = p["tags"][0]["evidence"][0]["text"]
    assert evidence == f"王芳 {mask_id(P3)} w***@qq.com 139****2222"
    assert p["masked"] is True and p["person_ref"].startswith("p_")


def test_unit_email_and_phone_masked_for_manager(private: Site) -> None:
    unit = private.get("manager", f"/api/units/{UNIT_A}").json()["unit"]
    assert unit["email"] == "o***@hzplan.cn" and unit["phone"] == "057******6666"


def test_unit_hr_sees_other_units_persons_by_name_only(private: Site) -> None:
    manager = private.get("manager", f"/api/persons/{P1}").json()["collaborators"]
    by_name = {c["name"]: c for c in manager}
    assert by_name["王芳"]["person_ref"].startswith("p_") and by_name["李明"]["person_ref"].startswith("p_")
    hr = private.get("hr_a", f"/api/persons/{P1}")
    collaborators = {c["name"]: c for c in hr.json()["collaborators"]}
    # 王芳 (unit B only): a name, no ID, no pseudonym; 李明 (registered at A): linked
    assert set(collaborators["王芳"]) == {"name", "shared_projects", "project_ids"}
    assert by_name["王芳"]["person_ref"] not in hr.text
    assert mask_id(P3) not in hr.text and "合作者王芳（身份证 ******************，" in hr.json()["identity"]["bio"]
    assert collaborators["李明"]["person_ref"] == by_name["李明"]["person_ref"]
    assert collaborators["李明"]["person_id"] == mask_id(P2)


def test_unit_hr_credit_has_no_alert_factors_but_managers_keep_them(private: Site) -> None:
    # Unit A has two open high-severity alerts, B one: A's grading names them, and A is on the yellow list.
    manager = private.get("manager", f"/api/units/{UNIT_A}/credit").json()
    assert any(f["text"].startswith("未处理高风险预警：2 条") for f in manager["factors"]["negative"])
    assert any(r["unit_id"] == UNIT_A and "未处理高风险预警" in r["reason"]
               for r in private.get("manager", "/api/yellow-list").json()["data"])
    hr = private.get("hr_a", f"/api/units/{UNIT_A}/credit").json()
    assert hr["grade"] == manager["grade"] and hr["composite"] == manager["composite"]
    assert all(f["indicator"] != "open_alerts" for side in ("positive", "negative") for f in hr["factors"][side])
    assert "open_alerts" not in hr["factors"]["indicators"]
    hr_rows = private.get("hr_a", "/api/credit").json()["data"]
    assert [r["unit_id"] for r in hr_rows] == [UNIT_A]
    assert hr_rows[0]["yellow_list"] is False and hr_rows[0]["grade"] != "D"
    assert private.get("hr_a", "/api/yellow-list").json() == {"data": [], "count": 0}
    assert private.get("hr_a", "/api/stats").json()["yellow_list"] == {"total": 0, "by_province": {}}


def test_cli_portrait_is_masked_unless_unmask(private: Site, cli_env: dict[str, str]) -> None:
    r = subprocess.run(["plantalent", "portrait", P1, "--json"], env=cli_env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    _no_secrets(r.stdout)
    assert '"birth_year": 1970' in r.stdout


def test_every_role_gets_person_refs_to_link_with(private: Site) -> None:
    for who in ("inspector", "admin", "manager"):
        staff = private.get(who, f"/api/units/{UNIT_A}/staff").json()["data"]
        assert staff and all(s["person_ref"].startswith("p_") for s in staff)
        portrait = private.get(who, f"/api/persons/{P1}").json()
        assert portrait["person_ref"].startswith("p_")
        assert all(c["person_ref"].startswith("p_") for c in portrait["collaborators"])
    alert = private.get("inspector", f"/api/alerts/{CL2_ALERT}").json()
    assert alert["person_refs"] and all(r.startswith("p_") for r in alert["person_refs"])
    persons = [n for n in alert["graph"]["nodes"] if n["kind"] == "Person"]
    assert persons and all(n["props"]["person_ref"].startswith("p_") for n in persons)


def test_person_page_by_id_redirects_to_its_pseudonym(private: Site) -> None:
    r = private.get(None, f"/persons/{P1}", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == f"/persons/{_ref(private, P1)}"


# --- the pages, in a real browser -------------------------------------------------------------------


def _signed_in(browser: Any, private: Site, who: str) -> Any:
    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(60_000)
    page.goto(private.base + "/login")
    page.fill("#token", private.tokens[who])
    page.click("#signin")
    page.wait_for_url(private.base + "/")
    return page


def _person_links(page: Any) -> list[str]:
    return [str(h) for h in page.eval_on_selector_all("a[href^='/persons/']", "els => els.map(e => e.getAttribute('href'))")]


@pytest.mark.browser
@pytest.mark.parametrize("who", ["inspector", "admin", "manager", "hr_a"])
def test_pages_link_persons_by_pseudonym_and_masked_pages_show_no_secret(browser: Any, private: Site, who: str) -> None:
    page = _signed_in(browser, private, who)
    page.goto(f"{private.base}/units/{UNIT_A}")
    page.wait_for_selector("table")
    links = _person_links(page)
    page.goto(f"{private.base}/persons/{_ref(private, P1)}")
    page.wait_for_selector("dl.kv")
    links += _person_links(page)
    assert links and all(h.startswith("/persons/p_") for h in links), links
    text = page.inner_text("body")
    if who in ("manager", "hr_a"):
        _no_secrets(text)
        assert "1970" in text and "z***@163.com" in text
    if who == "hr_a":  # 王芳 of unit B: shown, not linked
        assert "王芳" in text
        assert not page.query_selector("a:has-text('王芳')")
    # The search box with an ID number: the results page's URL (history, logs) does not carry it.
    page.fill("#lookup", P1)
    page.press("#lookup", "Enter")
    page.wait_for_selector("#found-persons table")
    assert P1 not in page.url and P1.lower() not in page.url.lower() and page.url.endswith("/search")
    assert "张建国" in page.inner_text("#found-persons")
    assert all(h.startswith("/persons/p_") for h in _person_links(page))
    if who == "inspector":
        page.goto(f"{private.base}/alerts/{CL2_ALERT}")
        page.wait_for_selector(".chip a")
        assert all(h.startswith("/persons/p_") for h in _person_links(page))
    page.context.close()
