"""The one Cypher loader. Each stage keeps its queries beside the code that runs them: a module
``X.py`` reads the ``.cypher`` files of a folder next to it, by name.

    CYPHER = CypherFiles(__file__, "alerts")   # queries/alerts/*.cypher
    CYPHER.load("upsert")                       # the text of queries/alerts/upsert.cypher

Query files start with a comment block naming their parameters. Nothing here is ever built from
user input: names come from the code, never from a request.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def _text(path: Path) -> str:
    if not path.is_file():
        raise KeyError(f"no query file {path}")
    return path.read_text(encoding="utf-8")


class CypherFiles:
    """The ``.cypher`` files of one folder beside a module (``anchor`` is that module's ``__file__``)."""

    def __init__(self, anchor: str | Path, folder: str) -> None:
        self.dir = Path(anchor).resolve().parent / folder

    def load(self, name: str) -> str:
        """The text of ``<folder>/<name>.cypher``; KeyError naming the file if it is missing."""
        return _text(self.dir / f"{name}.cypher")

    def statements(self, name: str) -> list[str]:
        """The ``;``-separated statements of a file (schema scripts), without ``//`` comment lines."""
        text = "\n".join(line for line in self.load(name).splitlines() if not line.strip().startswith("//"))
        return [s.strip() for s in text.split(";") if s.strip()]

    def names(self) -> list[str]:
        """Every query name of the folder, sorted."""
        return sorted(p.stem for p in self.dir.glob("*.cypher"))
