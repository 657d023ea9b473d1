"""Property-based fuzzing of every operation in the OpenAPI schema, with each role's token: all of
schemathesis's checks (no server error, every status and header declared, bodies as documented, invalid
input rejected, valid input accepted, authentication not ignored, unsupported methods refused …), with
the exceptions of schemathesis.toml beside this file (response time; valid-looking uploads).

Runs the schemathesis CLI (through schemathesis_run.py beside this file) against the live server,
bounded in examples per operation and in time. Each run signs in as a user made for it: the admin's run
disables users it finds in GET /api/users.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from graph.settings import Settings
from queries.users import create_user
from tests.api.conftest import UNIT_A, Site

# search and recommendation tag the query text: load spaCy/jieba once at startup
APP_OPTIONS = {"warm_nlp": True}


@pytest.mark.parametrize("who", ["admin", "inspector", "manager", "hr_a"])
def test_schemathesis_finds_nothing(site: Site, db: Driver, settings: Settings, tmp_path: Path, who: str) -> None:
    role, unit = {"admin": ("admin", None), "inspector": ("inspector", None), "manager": ("manager", None),
                  "hr_a": ("unit_hr", UNIT_A)}[who]
    _, token = create_user(db, settings, role, unit, f"schemathesis {who}")
    cmd = [sys.executable, str(Path(__file__).with_name("schemathesis_run.py")), "--config-file", str(Path(__file__).with_name("schemathesis.toml")), "run", f"{site.base}/openapi.json",
           "-H", f"Authorization: Bearer {token}",
           # No --checks: every check runs by default, and the config file's per-operation exceptions hold
           # (`--checks all` on the command line would override them).
           "--max-examples", "10", "--max-time", "240", "--seed", "7",
           "--phases", "examples,coverage,fuzzing", "--workers", "2", "--request-timeout", "60",
           "--report", "junit", "--report-dir", str(tmp_path)]
    env = dict(os.environ, NO_COLOR="1", SCHEMATHESIS_TELEMETRY="false")
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
    tail = (r.stdout + r.stderr)[-40000:]
    assert r.returncode == 0, tail
    assert "No issues found" in r.stdout or "passed" in r.stdout.lower(), tail
    assert "Authentication failed" not in r.stdout, tail  # the token held for the whole run
