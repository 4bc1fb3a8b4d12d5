"""One list call per resource type, shared by the reads of one `pulumi refresh`.

The engine reads every resource of a stack, four at a time; one GET per object would spend the
project's rate budget on a refresh. Instead the first read of a type lists all objects of that type
once and the others are served from that snapshot while it is younger than `max_age_seconds`. Any
write through a provider of that type invalidates it, so a read never returns what this process has
since changed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

DEFAULT_MAX_AGE_SECONDS = 30.0

T = TypeVar("T")


class Snapshot(Generic[T]):
    def __init__(
        self,
        load_all: Callable[[], list[T]],
        key: Callable[[T], str],
        *,
        max_age_seconds: float = DEFAULT_MAX_AGE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load_all = load_all
        self._key = key
        self._max_age = max_age_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._items: dict[str, T] | None = None
        self._taken_at = 0.0

    def get(self, key: str) -> T | None:
        """The object as of the snapshot (taken now if none is fresh), or None if it was absent."""
        return self._fresh().get(key)

    def all(self) -> list[T]:
        """Every object as of the snapshot (taken now if none is fresh)."""
        return list(self._fresh().values())

    def _fresh(self) -> dict[str, T]:
        # The lock is held while loading so that concurrent reads wait for one list call rather
        # than each starting their own.
        with self._lock:
            if self._items is None or self._clock() - self._taken_at > self._max_age:
                self._items = {self._key(item): item for item in self._load_all()}
                self._taken_at = self._clock()
            return self._items

    def invalidate(self) -> None:
        with self._lock:
            self._items = None
