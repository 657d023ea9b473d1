"""Every writer of data the web service shows moves the graph version (graph.version); reads and
runs that change nothing leave it. The app's kept responses and expert index renew on it."""

from __future__ import annotations

import pytest

from graph.version import bump, read_version
from queries.alerts import AlertStatusError, Decision, detect_and_store, list_alerts, set_alert_status
from queries.credit import compute_credit
from queries.users import Principal
from tagging.tagger import run_tagging
from tests.builder import Scenario
from tests.queries.conftest import AS_OF


def test_each_writer_moves_the_version(fresh, settings, scenario: Scenario) -> None:
    s = scenario
    s.unit("ZJ", province="浙江省")
    s.unit("JS", province="江苏省")
    s.registration("x", "ZJ", "2024-01-01")
    s.employment("z", "ZJ", "2024-01-01")
    s.employment("z", "JS", "2024-01-01")
    s.insurance("z", "ZJ", "2024-01")
    seen = [read_version(fresh, settings)]

    def moved() -> bool:
        seen.append(read_version(fresh, settings))
        return seen[-1] != seen[-2]

    s.load(fresh, settings)
    assert moved(), "ingest"
    list_alerts(fresh, settings)
    assert not moved(), "a read"
    run_tagging(fresh, settings, as_of=AS_OF)
    assert moved(), "tagging"
    run_tagging(fresh, settings, as_of=AS_OF)
    assert not moved(), "tagging that changed nothing"
    alerts = detect_and_store(fresh, settings, AS_OF, ["CL1", "CL2"])
    assert alerts and moved(), "detection"
    with pytest.raises(AlertStatusError):
        set_alert_status(fresh, settings, alerts[0].alert_id, Decision("dismissed", ""), Principal("insp1", "inspector"))
    assert not moved(), "a refused status change"
    set_alert_status(fresh, settings, alerts[0].alert_id, Decision("confirmed", "核实属实"), Principal("insp1", "inspector"))
    assert moved(), "an alert decision"
    compute_credit(fresh, settings, AS_OF)
    assert moved(), "credit grading"
    assert len(set(seen)) == len(seen) - 3  # never back to an earlier version


def test_a_wiped_database_starts_a_new_epoch(fresh, settings) -> None:
    first = bump(fresh, settings, "test")
    fresh.execute_query("MATCH (v:GraphVersion) DELETE v")
    assert read_version(fresh, settings) == ""
    second = bump(fresh, settings, "test")
    # The counter starts over, the epoch does not: no version of the old database comes back.
    assert first.endswith(":1") and second.endswith(":1") and second != first
