"""An audit event written inside a change's transaction commits and rolls back with that change."""

from __future__ import annotations

import pytest
from neo4j import Driver

from graph.settings import Settings
from queries.audit import record_in
from queries.users import Principal

WHO = Principal(user_id="u-tx", role="admin")


def _count(db: Driver, query: str) -> int:
    return int(db.execute_query(query).records[0]["n"])


def test_event_commits_with_its_change(db: Driver, settings: Settings) -> None:
    def work(tx: object) -> None:
        tx.run("CREATE (:Thing {k: 'kept'})").consume()  # type: ignore[attr-defined]
        record_in(tx, WHO, "thing_add", "kept", {"why": "test"})  # type: ignore[arg-type]

    with db.session(database=settings.neo4j_database) as s:
        s.execute_write(work)
    assert _count(db, "MATCH (:Thing {k: 'kept'}) RETURN count(*) AS n") == 1
    rows = db.execute_query("MATCH (e:AuditEvent {target: 'kept'}) RETURN e {.*} AS e").records
    assert len(rows) == 1
    e = rows[0]["e"]
    assert (e["user_id"], e["role"], e["action"], e["detail"]) == ("u-tx", "admin", "thing_add", '{"why": "test"}')
    assert e["at"] is not None


def test_failed_change_leaves_no_event(db: Driver, settings: Settings) -> None:
    def work(tx: object) -> None:
        record_in(tx, WHO, "thing_add", "lost")  # type: ignore[arg-type]
        tx.run("CREATE (:Thing {k: 'lost'})").consume()  # type: ignore[attr-defined]
        raise RuntimeError("the change fails after its event was written")

    with pytest.raises(RuntimeError), db.session(database=settings.neo4j_database) as s:
        s.execute_write(work)
    assert _count(db, "MATCH (e:AuditEvent {target: 'lost'}) RETURN count(e) AS n") == 0
    assert _count(db, "MATCH (:Thing {k: 'lost'}) RETURN count(*) AS n") == 0
