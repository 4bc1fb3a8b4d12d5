"""A fake monotonic clock for tests: it moves only when the code under test sleeps through it (or the
test advances it), so retry waits and quota windows cost no real time."""

from __future__ import annotations

import threading


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self._lock = threading.Lock()  # shared by client threads and the emulator's handlers
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds
