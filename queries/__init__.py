"""Cypher for detection rules, search, recommendation and statistics, one named file each.

``load("rules/cl1")`` returns the text of ``queries/rules/cl1.cypher``. Query files start with a
comment block naming their parameters. Nothing here is ever built from user input.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

QUERY_DIR = Path(__file__).parent


@cache
def load(name: str) -> str:
    """The Cypher text of ``queries/<name>.cypher``; KeyError naming the file if it is missing."""
    path = QUERY_DIR / f"{name}.cypher"
    if not path.is_file():
        raise KeyError(f"no query file {path.relative_to(QUERY_DIR.parent)}")
    return path.read_text(encoding="utf-8")


def statements(name: str) -> list[str]:
    """The ``;``-separated statements of a query file (for schema scripts)."""
    text = "\n".join(line for line in load(name).splitlines() if not line.strip().startswith("//"))
    return [s.strip() for s in text.split(";") if s.strip()]
