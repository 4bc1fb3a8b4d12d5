"""Server-side request quota: at most N requests per S seconds per client identity.

A sliding-window log: each identity keeps the times of its admitted requests within the last S
seconds. A request over the limit is refused (and not recorded), with the exact wait until the oldest
admitted request leaves the window, rounded up to whole seconds (at least 1), which is what the
``Retry-After`` header carries. Waiting exactly that long always frees a slot.

The clock is injectable (a callable returning monotonic seconds) so tests need not sleep.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Quota:
    requests: int
    seconds: float

    def __post_init__(self) -> None:
        if self.requests < 1 or self.seconds <= 0:
            raise ValueError("a quota needs requests >= 1 and seconds > 0")

    @classmethod
    def parse(cls, text: str) -> Quota:
        """Parses the CLI form ``N/SECONDS``, e.g. ``100/60``."""
        requests, sep, seconds = text.partition("/")
        if not sep:
            raise ValueError(f"expected N/SECONDS, got {text!r}")
        return cls(int(requests), float(seconds))

    def to_json(self) -> dict[str, float | int]:
        return {"requests": self.requests, "seconds": self.seconds}


class QuotaLimiter:
    def __init__(self, quota: Quota | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._quota = quota
        self._clock = clock
        self._admitted: dict[str, deque[float]] = {}

    @property
    def quota(self) -> Quota | None:
        return self._quota

    def configure(self, quota: Quota | None) -> None:
        """Replaces the quota and forgets all history."""
        with self._lock:
            self._quota = quota
            self._admitted.clear()

    def reset(self) -> None:
        with self._lock:
            self._admitted.clear()

    def admit(self, identity: str) -> int | None:
        """Records the request and returns None, or returns the Retry-After seconds if over quota."""
        with self._lock:
            quota = self._quota
            if quota is None:
                return None
            now = self._clock()
            times = self._admitted.setdefault(identity, deque())
            while times and times[0] <= now - quota.seconds:
                times.popleft()
            if len(times) < quota.requests:
                times.append(now)
                return None
            # Rounded first so float noise (6.0000000001) does not add a whole second.
            wait = round(times[0] + quota.seconds - now, 6)
            return max(1, math.ceil(wait))
