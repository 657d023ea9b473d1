"""The HTML of every page, over HTTP from the app: one shared head, the page's own script, no inline JS.

The browser tests (test_pages.py) show the pages work; these check what every page must carry so that
the shared base stays shared and a CSP of scripts-from-self (no inline scripts) can be switched on.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.api.conftest import Site

PAGES = {"/": "dashboard", "/login": "login", "/experts": "experts", "/alerts": "alerts", "/alerts/A1": "alert",
         "/persons/ref1": "person", "/units/u1": "unit", "/credit": "credit", "/admin": "admin"}
SUFFIX = " · 国土空间规划人才智库"


class Shell(HTMLParser):
    """The parts of a page that the base template provides."""

    def __init__(self) -> None:
        super().__init__()
        self.title, self.in_title = "", False
        self.scripts: list[str | None] = []
        self.inline_js: list[str] = []
        self.stylesheets: list[str | None] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.in_title = tag == "title"
        self.in_script = tag == "script"
        if tag == "script":
            self.scripts.append(a.get("src"))
        if tag == "link" and a.get("rel") == "stylesheet":
            self.stylesheets.append(a.get("href"))
        self.inline_js += [k for k in a if k.startswith("on")]

    def handle_endtag(self, tag: str) -> None:
        self.in_title = self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        if self.in_script and data.strip():
            self.inline_js.append(data.strip())


@pytest.mark.parametrize("path,name", PAGES.items())
def test_page_has_shared_head_and_own_script(site: Site, path: str, name: str) -> None:
    r = site.get(None, path)
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["cache-control"] == "no-cache"
    assert r.text.startswith('<!doctype html>\n<html lang="zh-CN">')
    page = Shell()
    page.feed(r.text)
    assert page.title.endswith(SUFFIX) and len(page.title) > len(SUFFIX)
    assert page.stylesheets == ["/static/app.css"]
    assert page.scripts[-2:] == ["/static/common.js", f"/static/pages/{name}.js"]
    assert None not in page.scripts and page.inline_js == [], "inline scripts would break a script-src 'self' CSP"
    for src in page.scripts:
        assert site.get(None, src).status_code == 200, src


def test_titles_differ_per_page(site: Site) -> None:
    titles = set()
    for path in PAGES:
        page = Shell()
        page.feed(site.get(None, path).text)
        titles.add(page.title)
    assert len(titles) == len(PAGES)
