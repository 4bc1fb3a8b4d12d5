"""The shared limiter: one bucket per (base URL, project), shared across threads, paused by 429s."""

from __future__ import annotations

import threading
import time

import pytest
from pulumi_descope_dynamic_provider.api.ratelimit import (
    SharedRateLimiter,
    UnlimitedRateLimiter,
    shared_rate_limiter,
)
from pulumi_descope_dynamic_provider.api.settings import RateBudget

from tests.support.clock import FakeClock


def test_same_project_and_url_share_one_limiter_and_a_new_budget_replaces_it() -> None:
    a = shared_rate_limiter("https://a.test", "P1", RateBudget(10, 1))
    assert shared_rate_limiter("https://a.test", "P1", RateBudget(10, 1)) is a
    assert shared_rate_limiter("https://a.test", "P2", RateBudget(10, 1)) is not a
    assert shared_rate_limiter("https://b.test", "P1", RateBudget(10, 1)) is not a
    replaced = shared_rate_limiter("https://a.test", "P1", RateBudget(5, 1))
    assert isinstance(replaced, SharedRateLimiter) and replaced.budget == RateBudget(5, 1)
    assert type(shared_rate_limiter("https://a.test", "P1", None)) is UnlimitedRateLimiter


def test_pause_holds_every_caller_through_the_injected_sleeper() -> None:
    clock = FakeClock()
    limiter = UnlimitedRateLimiter(clock=clock, sleeper=clock.sleep)
    waits: list[tuple[str, float]] = []
    limiter.pause(30)
    limiter.pause(10)  # a shorter pause never shortens a longer one
    limiter.acquire(on_wait=lambda reason, s: waits.append((reason, s)))
    assert clock.sleeps == [30]
    assert waits and "429" in waits[0][0]
    limiter.acquire()
    assert clock.sleeps == [30]  # the pause is over


def test_pause_longer_than_the_timeout_raises_without_sleeping() -> None:
    clock = FakeClock()
    limiter = UnlimitedRateLimiter(clock=clock, sleeper=clock.sleep)
    limiter.pause(60)
    with pytest.raises(TimeoutError):
        limiter.acquire(timeout=5)
    assert clock.sleeps == []


def test_bucket_blocks_once_the_budget_is_spent_and_reports_it() -> None:
    limiter = SharedRateLimiter(RateBudget(3, 0.3))
    waits: list[str] = []
    start = time.monotonic()
    for _ in range(4):
        limiter.acquire(on_wait=lambda reason, s: waits.append(reason))
    elapsed = time.monotonic() - start
    assert len(waits) == 1 and "budget" in waits[0]
    assert elapsed >= 0.2  # the fourth request had to wait for the window


def test_bucket_times_out_when_no_capacity_before_the_deadline() -> None:
    limiter = SharedRateLimiter(RateBudget(1, 30))
    limiter.acquire()
    with pytest.raises(TimeoutError):
        limiter.acquire(timeout=0.05)


def test_threads_share_the_budget() -> None:
    limiter = SharedRateLimiter(RateBudget(8, 60))
    granted: list[int] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            limiter.acquire(timeout=0.1)
        except TimeoutError:
            return
        with lock:
            granted.append(n)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(granted) == 8
