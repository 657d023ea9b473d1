"""ResponseCache on its own: one version at a time, bounded in bytes, entries expire."""

from __future__ import annotations

import time

from api.cache import ResponseCache


def test_a_new_version_forgets_the_old_answers() -> None:
    cache = ResponseCache(max_bytes=10_000, max_age_s=60)
    cache.put("e1:1", "k", b"old")
    assert cache.get("e1:1", "k") == b"old"
    assert cache.get("e1:2", "k") is None
    cache.put("e1:2", "k", b"new")
    # A request that read the version just before the change neither gets nor stores old answers.
    assert cache.get("e1:1", "k") is None
    cache.put("e1:1", "k", b"old")
    assert cache.get("e1:2", "k") == b"new"
    # Another epoch (a wiped database whose counter starts over) is a new version too.
    assert cache.get("e2:1", "k") is None
    assert cache.get("e1:2", "k") is None


def test_bounded_in_bytes_least_recent_first() -> None:
    cache = ResponseCache(max_bytes=8_000, max_age_s=60)
    for i in range(10):
        cache.put("v:1", i, bytes(1_000))
        cache.get("v:1", 0)  # kept in use
    kept = [i for i in range(10) if cache.get("v:1", i) is not None]
    assert 0 in kept and 1 not in kept and 9 in kept
    assert sum(1_000 for _ in kept) <= 8_000
    cache.put("v:1", "huge", bytes(2_000))  # over an eighth of the budget: never kept
    assert cache.get("v:1", "huge") is None


def test_entries_expire_and_zero_bytes_turns_it_off() -> None:
    cache = ResponseCache(max_bytes=10_000, max_age_s=0.05)
    cache.put("v:1", "k", b"x")
    assert cache.get("v:1", "k") == b"x"
    time.sleep(0.08)
    assert cache.get("v:1", "k") is None
    off = ResponseCache(max_bytes=0, max_age_s=60)
    off.put("v:1", "k", b"x")
    assert off.get("v:1", "k") is None and not off.enabled
