"""The web pages (Chinese UI): HTML shells + small vanilla JS calling the JSON API.

Each page template extends ``templates/base.html`` (head, stylesheet, scripts); the page itself is
drawn by ``static/pages/<name>.js``. No inline scripts, so a CSP of scripts-from-self holds.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import StateDep
from graph.masking import ID_RE, REF_PREFIX

PAGES = Path(__file__).resolve().parent.parent / "pages"
TEMPLATES = PAGES / "templates"
STATIC = PAGES / "static"

# StrictUndefined: a template naming a variable the route does not pass fails instead of printing ''.
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                          undefined=jinja2.StrictUndefined, keep_trailing_newline=True)

router = APIRouter(include_in_schema=False)


def _page(name: str) -> HTMLResponse:
    """The page `name`: templates/<name>.html with its script static/pages/<name>.js."""
    html = _ENV.get_template(f"{name}.html").render(page=name)
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})


@router.get("/")
def page_home() -> HTMLResponse:
    return _page("dashboard")


@router.get("/login")
def page_login() -> HTMLResponse:
    return _page("login")


@router.get("/experts")
def page_experts() -> HTMLResponse:
    return _page("experts")


@router.get("/panels")
def page_panels() -> HTMLResponse:
    return _page("panels")


@router.get("/alerts")
def page_alerts() -> HTMLResponse:
    return _page("alerts")


@router.get("/alerts/{alert_id}")
def page_alert(alert_id: str) -> HTMLResponse:
    return _page("alert")


@router.get("/persons/{person_id}", response_model=None)
def page_person(state: StateDep, person_id: str) -> HTMLResponse | RedirectResponse:
    """A person's page, addressed by pseudonym; an ID number typed into the address is replaced by it
    at once (so it stays out of the browser's history and later requests)."""
    if not person_id.startswith(REF_PREFIX) and ID_RE.fullmatch(person_id.strip()):
        return RedirectResponse("/persons/" + state.refs.encode(person_id.strip().upper()), status_code=308)
    return _page("person")


@router.get("/units/{unit_id}")
def page_unit(unit_id: str) -> HTMLResponse:
    return _page("unit")


@router.get("/credit")
def page_credit() -> HTMLResponse:
    return _page("credit")


@router.get("/search")
def page_search() -> HTMLResponse:
    return _page("search")


@router.get("/inbox")
def page_inbox() -> HTMLResponse:
    return _page("inbox")


@router.get("/disputes")
def page_disputes() -> HTMLResponse:
    return _page("disputes")


@router.get("/admin")
def page_admin() -> HTMLResponse:
    return _page("admin")


@router.get("/docs")
def page_docs() -> HTMLResponse:
    """The API documentation (Swagger UI from this site)."""
    return _page("docs")
