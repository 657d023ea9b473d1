"""The web pages (Chinese UI): static HTML + small vanilla JS calling the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

PAGES = Path(__file__).resolve().parent.parent / "pages"
TEMPLATES = PAGES / "templates"
STATIC = PAGES / "static"

router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    return FileResponse(TEMPLATES / f"{name}.html", media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})


@router.get("/")
def page_home() -> FileResponse:
    return _page("dashboard")


@router.get("/login")
def page_login() -> FileResponse:
    return _page("login")


@router.get("/experts")
def page_experts() -> FileResponse:
    return _page("experts")


@router.get("/alerts")
def page_alerts() -> FileResponse:
    return _page("alerts")


@router.get("/alerts/{alert_id}")
def page_alert(alert_id: str) -> FileResponse:
    return _page("alert")


@router.get("/persons/{person_id}")
def page_person(person_id: str) -> FileResponse:
    return _page("person")


@router.get("/units/{unit_id}")
def page_unit(unit_id: str) -> FileResponse:
    return _page("unit")


@router.get("/credit")
def page_credit() -> FileResponse:
    return _page("credit")


@router.get("/admin")
def page_admin() -> FileResponse:
    return _page("admin")
