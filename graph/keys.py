"""Keys kept in the graph: the key of person pseudonyms (``person_ref``).

A pseudonym depends only on the ID number and this key. Keeping the key in Neo4j, not in a process's
home directory, makes every ``serve`` process on every host that shares the database give the same
refs (DESIGN.md "Scale-out"): a link copied from one works on all.
"""

from __future__ import annotations

import base64
import logging
import secrets
from pathlib import Path

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.db import write
from graph.settings import Settings

CYPHER = CypherFiles(__file__, "keys")
log = logging.getLogger("plantalent")

# Where versions before the key moved into the graph kept it (migrated once, then removed).
OLD_KEY_FILE = "api-secret"


def _candidate(settings: Settings) -> tuple[str, Path | None]:
    """The key to store if the graph has none: PLANTALENT_API_SECRET, else a key file of an earlier
    version (so its links stay valid), else a new random one; with the file it came from."""
    if settings.api_secret:
        return base64.b64encode(settings.api_secret.encode("utf-8")).decode("ascii"), None
    old = Path(settings.home) / OLD_KEY_FILE
    if old.is_file():
        return base64.b64encode(old.read_bytes()).decode("ascii"), old
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii"), None


def person_ref_key(driver: Driver, settings: Settings) -> bytes:
    """The key of person pseudonyms, from the graph (stored there on first use)."""
    candidate, old_file = _candidate(settings)
    stored = str(write(driver, settings, CYPHER.load("person_ref"), candidate=candidate)[0]["value"])
    if old_file is not None:
        # Migrated (or another process stored the graph's key first): the file is no longer read.
        old_file.unlink(missing_ok=True)
        log.warning("the person_ref key of %s is now kept in the graph; the file was removed", old_file)
    elif settings.api_secret and stored != candidate:
        log.warning("PLANTALENT_API_SECRET differs from the person_ref key kept in the graph; the graph's key is used")
    return base64.b64decode(stored)
