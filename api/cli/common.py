"""What every `plantalent` command shares: the consoles, the one driver of a command, small parsers."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import typer
from neo4j import Driver
from pydantic import BaseModel, ValidationError
from rich.console import Console

from graph.db import connect
from graph.errors import InvalidInput
from graph.settings import Settings
from ingest import journal
from tagging.embed import Embedder, EmbedderError, load_embedder

# Progress and messages go to stderr, results to stdout. soft_wrap: a line is never broken at the
# terminal width (scripts and people grep the output; a long path must not split a message).
console = Console(stderr=True, soft_wrap=True)
out_console = Console(soft_wrap=True)


@contextmanager
def driver_for(settings: Settings) -> Iterator[Driver]:
    """The command's one driver (starting the managed server if needed), closed at the end.

    Loads whose process died (kill -9, a crash, Neo4j stopped under them) show as ``interrupted``
    from the first command that opens the graph after them (DESIGN.md "Data lifecycle")."""
    driver = connect(settings)
    try:
        journal.settle(driver, settings)
        yield driver
    finally:
        driver.close()


def parse_date(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value (None stays None); InvalidInput naming the option otherwise."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{option} must be a date YYYY-MM-DD, got {value!r}") from exc


M = TypeVar("M", bound=BaseModel)


def read_request(path: Path, model: type[M]) -> M:
    """A JSON request file validated by ``model``; InvalidInput naming the file and every field error."""
    try:
        return model.model_validate_json(path.read_text(encoding="utf-8-sig"))
    except ValidationError as exc:
        errors = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise InvalidInput(f"{path}: invalid request: {errors}") from exc


def optional_embedder(settings: Settings, enabled: bool) -> Embedder | None:
    """The configured embedder, or None (lexical only) when disabled or not loadable."""
    if not enabled:
        return None
    try:
        return load_embedder(settings)
    except EmbedderError as exc:
        console.print(f"[yellow]warning:[/yellow] {exc}; continuing without embeddings")
        return None


def echo_json(data: Any, *, indent: int | None = 2) -> None:
    """Print ``data`` as JSON on stdout (Chinese kept readable)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=indent, default=str))


def quiet_notifications() -> None:
    """Silence the driver's server notices ("property key does not exist" on a graph without some
    optional data): they are not the user's business on the command line."""
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
