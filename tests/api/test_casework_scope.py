"""Lookup and jurisdiction over HTTP (DESIGN.md Casework): the search box finds persons, units and
projects by ID number, USCC, phone or name within the caller's scope, masked for masked roles; a
provincial manager or inspector sees its province only, and everything else answers 404."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from queries.users import create_user
from tests.api.conftest import CL2_ALERT, LK1_ALERT, P1, P2, P3, UNIT_A, UNIT_B, Site


@pytest.fixture(scope="module")
def provincial(site: Site, db, settings) -> Site:
    """The site with a 浙江 inspector, a 江苏 inspector and a 江苏 manager added."""
    for who, role, province in [("insp_zj", "inspector", "浙江"), ("insp_js", "inspector", "江苏省"),
                                ("mgr_js", "manager", "江苏省")]:
        site.user_ids[who], site.tokens[who] = create_user(db, settings, role, name=who, province=province)
    return site


def _keys(body: dict, kind: str, key: str) -> list[str]:
    return [x[key] for x in body[kind]]


def test_lookup_by_id_uscc_phone_and_name(site: Site) -> None:
    by_id = site.get("inspector", "/api/lookup", params={"q": P1.lower()}).json()
    assert _keys(by_id, "persons", "person_id") == [P1] and by_id["persons"][0]["matched"] == "id"
    assert by_id["persons"][0]["units"] == ["杭州市规划设计研究院"]
    by_uscc = site.get("inspector", "/api/lookup", params={"q": UNIT_B.lower()}).json()
    assert _keys(by_uscc, "units", "unit_id") == [UNIT_B] and by_uscc["persons"] == []
    by_phone = site.get("inspector", "/api/lookup", params={"q": "138-1234-5678"}).json()
    assert sorted(_keys(by_phone, "persons", "person_id")) == sorted([P1, P3])
    by_name = site.get("inspector", "/api/lookup", params={"q": "杭州"}).json()
    assert _keys(by_name, "units", "unit_id") == [UNIT_A] and _keys(by_name, "projects", "project_id") == ["J001"]
    assert _keys(site.get("inspector", "/api/lookup", params={"q": "王芳"}).json(), "persons", "person_id") == [P3]
    assert site.get("inspector", "/api/lookup", params={"q": "J001"}).json()["projects"][0]["matched"] == "project_id"


def test_lookup_masks_for_masked_roles_and_rejects_short_text(site: Site) -> None:
    body = site.get("manager", "/api/lookup", params={"q": "张建国"}).json()
    (p,) = body["persons"]
    assert p["person_id"] != P1 and p["person_id"].endswith(P1[-4:]) and p["person_ref"].startswith("p_")
    assert P1 not in str(body)
    assert site.get("manager", f"/api/persons/{p['person_ref']}").status_code == 200
    for q in ("", "张", " x "):
        r = site.get("inspector", "/api/lookup", params={"q": q})
        assert r.status_code == 422, q
    assert site.get(None, "/api/lookup", params={"q": "张建国"}).status_code == 401


def test_unit_hr_looks_up_its_own_staff_and_unit_only(site: Site) -> None:
    own = site.get("hr_a", "/api/lookup", params={"q": "张建国"}).json()
    assert len(own["persons"]) == 1 and own["persons"][0]["person_id"] != P1
    assert site.get("hr_a", "/api/lookup", params={"q": "王芳"}).json()["persons"] == []
    assert site.get("hr_a", "/api/lookup", params={"q": UNIT_B}).json()["units"] == []
    assert _keys(site.get("hr_a", "/api/lookup", params={"q": UNIT_A}).json(), "units", "unit_id") == [UNIT_A]


def test_provincial_users_see_their_province(provincial: Site) -> None:
    s = provincial
    # units
    assert s.get("insp_js", f"/api/units/{UNIT_B}").status_code == 200
    assert s.get("insp_js", f"/api/units/{UNIT_A}").status_code == 404
    assert s.get("insp_zj", f"/api/units/{UNIT_A}").status_code == 200
    # alerts: CL2 concerns units in both provinces, LK1 none
    assert [a["alert_id"] for a in s.get("insp_js", "/api/alerts").json()["data"]] == [CL2_ALERT]
    assert s.get("insp_js", f"/api/alerts/{LK1_ALERT}").status_code == 404
    r = s.post("insp_js", f"/api/alerts/{LK1_ALERT}/status", json={"status": "dismissed", "comment": "x"})
    assert r.status_code == 404
    assert s.get("insp_js", f"/api/alerts/{CL2_ALERT}").status_code == 200
    assert s.get("inspector", "/api/alerts").json()["count"] == 2  # the national one sees both
    # persons: P1 works in 浙江 only; P3 in 江苏; P2 is concerned by the CL2 alert (and registered in 浙江)
    assert s.get("insp_js", f"/api/persons/{P1}").status_code == 404
    assert s.get("insp_zj", f"/api/persons/{P1}").status_code == 200
    assert s.get("insp_js", f"/api/persons/{P3}").status_code == 200
    assert s.get("insp_js", f"/api/persons/{P2}").status_code == 200
    portrait = s.get("insp_zj", f"/api/persons/{P1}").json()
    assert portrait["alerts"] == []  # P1's only alert (LK1) concerns no unit of 浙江
    assert {a["alert_id"] for a in s.get("inspector", f"/api/persons/{P1}").json()["alerts"]} == {LK1_ALERT}
    # lookup keeps to the province
    assert s.get("insp_js", "/api/lookup", params={"q": "张建国"}).json()["persons"] == []
    assert _keys(s.get("insp_js", "/api/lookup", params={"q": "杭州"}).json(), "units", "unit_id") == []
    # credit, yellow list and stats of the province
    credit = s.get("mgr_js", "/api/credit").json()
    assert {r["province"] for r in credit["data"]} <= {"江苏省"}
    assert s.get("mgr_js", "/api/credit", params={"province": "浙江省"}).json()["count"] == 0
    stats = s.get("mgr_js", "/api/stats").json()
    assert stats["scope"] == "province" and stats["units"]["total"] == 1
    assert stats["units"]["by_province"] == {"江苏省": 1}
    assert s.get("manager", "/api/stats").json()["units"]["total"] == 2
    # the expert pool stays national: a 江苏 manager finds the 浙江 expert
    found = s.get("mgr_js", "/api/experts/search", params={"q": "张建国"}).json()
    assert "E001" in [e["expert_id"] for e in found["data"]]


def test_users_add_province_and_find_on_the_command_line(site: Site, cli_env) -> None:
    exe = str(Path(sys.executable).parent / "plantalent")
    ok = subprocess.run([exe, "users", "add", "--role", "inspector", "--province", "浙江"], env=cli_env,
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0 and "province 浙江" in ok.stderr and len(ok.stdout.strip()) > 20
    listed = subprocess.run([exe, "users", "list", "--json"], env=cli_env, capture_output=True, text=True, timeout=300)
    assert '"province": "浙江省"' in listed.stdout
    for bad in (["--role", "inspector", "--province", "火星"], ["--role", "admin", "--province", "浙江"]):
        r = subprocess.run([exe, "users", "add", *bad], env=cli_env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 2 and r.stderr.startswith("error: "), r.stderr
    found = subprocess.run([exe, "find", "杭州", "--json"], env=cli_env, capture_output=True, text=True, timeout=300)
    assert found.returncode == 0, found.stderr
    assert f'"unit_id": "{UNIT_A}"' in found.stdout and '"project_id": "J001"' in found.stdout
    masked = subprocess.run([exe, "find", P1, "--json"], env=cli_env, capture_output=True, text=True, timeout=300)
    assert P1 not in masked.stdout and P1[-4:] in masked.stdout
    short = subprocess.run([exe, "find", "x"], env=cli_env, capture_output=True, text=True, timeout=300)
    assert short.returncode == 2 and "at least 2" in short.stderr
