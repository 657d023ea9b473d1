"""ResponseCache and SingleFlight on their own: one version at a time, bounded in bytes, entries expire;
concurrent identical requests computed once."""

from __future__ import annotations

import asyncio
import time

from api.cache import ResponseCache, SingleFlight


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


def test_concurrent_requests_share_one_computation() -> None:
    calls = 0

    async def compute() -> bytes:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        return b"body"

    async def main() -> list[tuple[bytes, bool]]:
        flights = SingleFlight()
        together = await asyncio.gather(*(flights.run("k", compute) for _ in range(5)))
        later = await flights.run("k", compute)  # nothing running any more: computed again
        return [*together, later]

    results = asyncio.run(main())
    assert calls == 2
    assert [shared for _, shared in results] == [False, True, True, True, True, False]
    assert {body for body, _ in results} == {b"body"}


def test_a_failed_computation_fails_its_sharers_and_is_not_remembered() -> None:
    async def fail() -> bytes:
        await asyncio.sleep(0.02)
        raise LookupError("404")

    async def main() -> list[object]:
        flights = SingleFlight()
        out = await asyncio.gather(*(flights.run("k", fail) for _ in range(3)), return_exceptions=True)
        ok = await flights.run("k", _body)
        return [*out, ok]

    *failed, ok = asyncio.run(main())
    assert all(isinstance(e, LookupError) for e in failed) and ok == (b"ok", False)


def test_sharers_compute_themselves_when_the_computing_request_is_cancelled() -> None:
    async def slow() -> bytes:
        await asyncio.sleep(10)
        return b"never"

    async def main() -> tuple[bytes, bool]:
        flights = SingleFlight()
        leader = asyncio.create_task(flights.run("k", slow))
        await asyncio.sleep(0.01)
        follower = asyncio.create_task(flights.run("k", _body))
        await asyncio.sleep(0.01)
        leader.cancel()
        return await asyncio.wait_for(follower, 2)

    assert asyncio.run(main()) == (b"ok", False)


async def _body() -> bytes:
    return b"ok"
