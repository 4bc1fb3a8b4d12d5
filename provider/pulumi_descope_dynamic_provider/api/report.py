"""The rate report: one line at the end of a plugin process that spoke to Descope, so that after a
long `pulumi up` anyone can tell whether the time went to Descope's quota or elsewhere.

Counted for the whole process (every client of every project in it): requests sent (retries and
the license handshake included), 429s met, and the seconds during which at least one caller was
waiting on the client budget, or on a Retry-After (a 429's pause), measured as wall time, not
summed over threads (four callers waiting the same second count one second). The share of the
quota is what the requests sent took of Descope's quota over the time they were sent in, and at
the busiest moment (the most requests within one quota window).

When the line is printed: the dynamic-provider plugin process gets no "operation ended" call; the
engine stops it with SIGINT when the operation (each of preview and update, for an `up`) is done, the
plugin's main thread leaves its wait, and the interpreter exits, which runs `atexit` handlers; the
engine still forwards the plugin's stderr then, and shows it under the stack's Diagnostics
(proved by tests/e2e/test_rate_report_cli.py). core/shared.py registers `print_at_exit`.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal, TextIO

from .settings import RateBudget

WaitKind = Literal["budget", "retry_after"]


class RateReport:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.requests = 0
            self.rate_limited = 0
            self.waited = {"budget": 0.0, "retry_after": 0.0}
            self._waiters = {"budget": 0, "retry_after": 0}
            self._since = {"budget": 0.0, "retry_after": 0.0}
            self.first_sent: float | None = None
            self.last_sent: float | None = None
            self.quota: RateBudget | None = None
            self._window: deque[float] = deque()
            self.peak_in_window = 0

    def sent(self, quota: RateBudget | None) -> None:
        """One request left for Descope; `quota` is the per-IP quota it counts against (not our
        share of it), or None when there is no client budget to compare with."""
        with self._lock:
            now = self._clock()
            self.requests += 1
            self.first_sent = now if self.first_sent is None else self.first_sent
            self.last_sent = now
            if quota is not None:
                self.quota = quota
                # The most requests sent within any one quota window (what the server's sliding
                # window held at its fullest): the share of the quota taken at the busiest moment.
                self._window.append(now)
                while self._window and self._window[0] <= now - quota.seconds:
                    self._window.popleft()
                self.peak_in_window = max(self.peak_in_window, len(self._window))

    def met_429(self) -> None:
        with self._lock:
            self.rate_limited += 1

    @contextmanager
    def waiting(self, kind: WaitKind) -> Iterator[None]:
        """Around a wait: the seconds count once however many callers wait at the same time."""
        with self._lock:
            if self._waiters[kind] == 0:
                self._since[kind] = self._clock()
            self._waiters[kind] += 1
        try:
            yield
        finally:
            with self._lock:
                self._waiters[kind] -= 1
                if self._waiters[kind] == 0:
                    self.waited[kind] += self._clock() - self._since[kind]

    def quota_used(self) -> float | None:
        """Requests sent / what the quota allows over the span they were sent in, counted as the
        windows from the first request to one window after the last (the last request counts in
        the quota until then): 1.0 is the whole quota, 0.5 half of it."""
        with self._lock:
            if self.quota is None or self.first_sent is None or self.last_sent is None:
                return None
            windows = (self.last_sent - self.first_sent) / self.quota.seconds + 1
            return self.requests / (self.quota.requests * windows)

    def line(self) -> str | None:
        """The report, or None when nothing was sent (the process did not speak to Descope)."""
        used = self.quota_used()
        with self._lock:
            if not self.requests:
                return None
            share = "no client budget to compare with (descope:rateLimit off)"
            if used is not None and self.quota is not None:
                peak = self.peak_in_window / self.quota.requests
                share = (
                    f"{used:.0%} of the quota ({self.quota} per IP) used, "
                    f"at most {peak:.0%} in any {self.quota.seconds:g} s"
                )
            return (
                f"descope: rate report: {self.requests} requests sent, {self.rate_limited} HTTP 429s met, "
                f"waited {self.waited['budget']:.1f} s on the client budget and "
                f"{self.waited['retry_after']:.1f} s on Retry-After; {share}"
            )


# The plugin process's report: every client in the process counts here.
RATE_REPORT = RateReport()
_registered = False
_registered_lock = threading.Lock()


def print_report(report: RateReport = RATE_REPORT, out: TextIO | None = None) -> None:
    line = report.line()
    if line:
        stream = out or sys.stderr
        stream.write(line + "\n")
        stream.flush()


def print_at_exit() -> None:
    """Print the process's report when the interpreter exits (once, however often called)."""
    global _registered
    with _registered_lock:
        if _registered:
            return
        _registered = True
    import atexit

    atexit.register(print_report)
