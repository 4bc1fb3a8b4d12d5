"""Client-side rate limiting: one token bucket per (base URL, project) shared by every client and
thread in the process, so the plugin's four concurrent calls draw from the same budget.

The bucket itself is pyrate-limiter's; what we add is the pause that a 429 imposes on every caller
(so they do not stampede the server while one of them waits out Retry-After) and progress events.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

from pyrate_limiter import InMemoryBucket, Limiter, Rate

from .settings import RateBudget

# Called with (reason, seconds) before a wait we can measure, so the provider can tell the user.
WaitListener = Callable[[str, float], None]


def window_with_slack_ms(seconds: float) -> int:
    """The bucket's window, a little wider than the server's: our token is stamped before the
    request leaves, and the server counts its arrival, a few milliseconds later (more over the
    internet). Without slack a refill burst lands just before the server's window has passed and
    meets a 429 (measured by bench/quota_throughput). 1% of the window, at least 100 ms."""
    window_ms = seconds * 1000
    return round(window_ms + max(100.0, window_ms / 100))


class RateLimiterProtocol(Protocol):
    def acquire(self, timeout: float | None = None, on_wait: WaitListener | None = None) -> None:
        """Block until one request may be sent; report a wait to `on_wait` first. Raise
        TimeoutError when that cannot happen within `timeout` seconds."""

    def pause(self, seconds: float) -> None:
        """Hold every caller for `seconds` (the server said so with a 429)."""


class UnlimitedRateLimiter:
    """No client budget; still honours pauses from 429s so concurrent callers wait together."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleeper: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleeper = sleeper
        self._lock = threading.Lock()
        self._resume_at = 0.0

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._resume_at = max(self._resume_at, self._clock() + seconds)

    def paused_for(self) -> float:
        with self._lock:
            return max(0.0, self._resume_at - self._clock())

    def _wait_out_pause(self, timeout: float | None, on_wait: WaitListener | None) -> float | None:
        """Sleep through a pending pause; return the timeout left for the bucket."""
        wait = self.paused_for()
        if wait > 0:
            if timeout is not None and wait > timeout:
                raise TimeoutError(f"rate limited by Descope for another {wait:.0f} s")
            if on_wait:
                on_wait("rate limited by Descope (HTTP 429); every caller waits", wait)
            self._sleeper(wait)
            if timeout is not None:
                timeout -= wait
        return timeout

    def acquire(self, timeout: float | None = None, on_wait: WaitListener | None = None) -> None:
        self._wait_out_pause(timeout, on_wait)


class SharedRateLimiter(UnlimitedRateLimiter):
    """A pyrate-limiter bucket of `budget.requests` per `budget.seconds`, plus 429 pauses."""

    _NAME = "descope-management"

    def __init__(
        self,
        budget: RateBudget,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleeper: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(clock=clock, sleeper=sleeper)
        self.budget = budget
        self._last_budget_notice = float("-inf")
        self._limiter = Limiter(
            InMemoryBucket([Rate(budget.requests, window_with_slack_ms(budget.seconds))]), buffer_ms=10
        )

    def _notify_budget_spent(self, on_wait: WaitListener | None) -> None:
        """Say so once per budget window, not once per blocked request (hundreds on a big up)."""
        with self._lock:
            now = self._clock()
            due = now - self._last_budget_notice >= self.budget.seconds
            if due:
                self._last_budget_notice = now
        if due and on_wait:
            on_wait(
                f"client-side budget of {self.budget} requests/seconds is used up; waiting for capacity", 0.0
            )

    def acquire(self, timeout: float | None = None, on_wait: WaitListener | None = None) -> None:
        timeout = self._wait_out_pause(timeout, on_wait)
        if self._limiter.try_acquire(self._NAME, blocking=False):
            return
        self._notify_budget_spent(on_wait)
        # pyrate-limiter blocks (outside its lock) until the bucket has room, or the timeout ends.
        if timeout is not None and timeout <= 0:
            raise TimeoutError("no capacity left in the client-side rate budget before the deadline")
        acquired = self._limiter.try_acquire(
            self._NAME, blocking=True, timeout=-1 if timeout is None else timeout
        )
        if not acquired:
            raise TimeoutError("no capacity left in the client-side rate budget before the deadline")


_registry: dict[tuple[str, str], UnlimitedRateLimiter] = {}
_registry_lock = threading.Lock()


def shared_rate_limiter(base_url: str, project_id: str, budget: RateBudget | None) -> UnlimitedRateLimiter:
    """The process-wide limiter for (base URL, project). A later caller with a different budget
    replaces it: the newest stack configuration wins."""
    key = (base_url, project_id)
    with _registry_lock:
        current = _registry.get(key)
        current_budget = current.budget if isinstance(current, SharedRateLimiter) else None
        if current is None or current_budget != budget:
            current = SharedRateLimiter(budget) if budget else UnlimitedRateLimiter()
            _registry[key] = current
        return current
