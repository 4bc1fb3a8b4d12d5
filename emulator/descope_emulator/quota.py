"""Server-side request quota: at most N requests per S seconds per client identity.

A sliding-window log: each identity keeps the times of its admitted requests within the last S
seconds. A request over the limit is refused (and not recorded), with the exact wait until the oldest
admitted request leaves the window, rounded up to whole seconds (at least 1), which is what the
``Retry-After`` header carries. Waiting exactly that long always frees a slot.

Tiers and per-project limits (``Emulator`` picks them): the quota is the default limit; a request
whose ``x-descope-license`` header names the project's license tier gets ``TIER_FACTORS[tier]`` times
it, and the user-management paths Descope limits per project count against their own logs too
(``PROJECT_PATH_LIMITS``, as factors of the same quota: 100/60 and 200/60 beside the 100/60 default).
Descope publishes no figure per tier: the factors are the emulator's own choice.

The clock is injectable (a callable returning monotonic seconds) so tests need not sleep.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# The emulator's choice: Descope publishes no per-tier figures (docs/api-notes/license.md).
TIER_FACTORS: dict[str, float] = {"tier1": 1.0, "tier2": 2.0, "tier3": 5.0, "tier4": 10.0}
# docs.descope.com/rate-limiting: user create 100/60, user update and search 200/60, per project,
# as factors of the 100/60 default.
PROJECT_PATH_LIMITS: dict[str, tuple[str, float]] = {
    "/v1/mgmt/user/create": ("user-create", 1.0),
    "/v1/mgmt/user/create/batch": ("user-create", 1.0),
    "/v1/mgmt/user/create/test": ("user-create", 1.0),  # a test user is a user create (our reading)
    "/v1/mgmt/user/update": ("user-update-search", 2.0),
    "/v1/mgmt/user/search": ("user-update-search", 2.0),
}


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

    def admit(self, identity: str, *others: tuple[str, float], factor: float = 1.0) -> int | None:
        """Records the request and returns None, or returns the Retry-After seconds if over quota.

        The request counts against `identity`'s log at `factor` times the quota, and against each
        of `others` (key, factor) too: it is admitted only if every one has room (and then recorded
        in every one), else the longest wait is answered."""
        with self._lock:
            quota = self._quota
            if quota is None:
                return None
            now = self._clock()
            waits = []
            logs = []
            for key, scale in ((identity, factor), *others):
                times = self._admitted.setdefault(key, deque())
                while times and times[0] <= now - quota.seconds:
                    times.popleft()
                logs.append(times)
                if len(times) >= max(1, int(quota.requests * scale)):
                    # Rounded first so float noise (6.0000000001) does not add a whole second.
                    waits.append(max(1, math.ceil(round(times[0] + quota.seconds - now, 6))))
            if waits:
                return max(waits)
            for times in logs:
                times.append(now)
            return None
