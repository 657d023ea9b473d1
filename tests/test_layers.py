"""The structure of DESIGN.md "Layout and the direction of imports", checked on the source tree."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

STAGES = ("api", "queries", "tagging", "ingest", "graph")
CYPHER_WORDS = re.compile(r"""["'](?:\s*)(?:MATCH|OPTIONAL MATCH|MERGE|UNWIND|CALL|SHOW|CREATE|DROP|RETURN)\s""")


def test_import_contracts_hold(repo_root: Path) -> None:
    # The layers and the no-cycles contracts of pyproject.toml [tool.importlinter].
    env = {**os.environ, "PYTHONPATH": str(repo_root)}
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(lint)], cwd=repo_root, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_api_holds_no_cypher(repo_root: Path) -> None:
    assert not list((repo_root / "api").rglob("*.cypher"))
    inline = [f"{p.relative_to(repo_root)}:{n}" for p in (repo_root / "api").rglob("*.py")
              for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if CYPHER_WORDS.search(line)]
    assert inline == []


def test_every_query_file_sits_beside_the_module_that_runs_it(repo_root: Path) -> None:
    # A folder of .cypher files is read by a module beside it (graph.cypher.CypherFiles), and only there.
    readers: dict[str, list[str]] = {}
    for stage in STAGES:
        for module in (repo_root / stage).rglob("*.py"):
            for folder in re.findall(r'CypherFiles\(__file__, "(\w+)"\)', module.read_text(encoding="utf-8")):
                readers.setdefault(str((module.parent / folder).relative_to(repo_root)), []).append(module.name)
    folders = {str(p.parent.relative_to(repo_root)) for stage in STAGES for p in (repo_root / stage).rglob("*.cypher")}
    assert sorted(folders - set(readers)) == []
    assert {f: m for f, m in readers.items() if len(m) > 1} == {}


def test_no_import_by_string(repo_root: Path) -> None:
    # Plain imports only; the one exception is the optional embedding-model package named by a setting.
    found = [f"{p.relative_to(repo_root)}:{n}" for stage in STAGES for p in (repo_root / stage).rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if ("import_module(" in line or "__import__(" in line) and p.name != "embed.py"]
    assert found == []
