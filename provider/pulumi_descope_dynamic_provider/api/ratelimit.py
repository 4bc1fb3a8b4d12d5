"""Client-side rate limiting: one token bucket per (base URL, project) shared by every client and
thread in the process, so the plugin's four concurrent calls draw from the same budget; with a
shared store (`descope:rateLimitStore`), one budget per API host shared by every process on the
machine (SQLite) or every machine that uses the same Redis.

The bucket itself is pyrate-limiter's (its in-memory, SQLite and Redis buckets); what we add is the
pause that a 429 imposes on every caller (so they do not stampede the server while one of them waits
out Retry-After), kept in the same store as the bucket, and progress events.

A shared store is opened at the first request, not when the client is built, and any failure to
reach it raises `RateLimitStoreError` naming the setting: there is no silent fallback to a
per-process budget, which would be the very collision the store exists to prevent.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from .errors import DescopeError
from .locks import RedisLocks, SqliteLocks, StoreLocks
from .report import RATE_REPORT, RateReport
from .settings import MEMORY_STORE, RATE_LIMIT_STORE_SETTING, RateBudget, RateLimitStore

if TYPE_CHECKING:
    from pyrate_limiter import AbstractBucket, Limiter, Rate
    from redis import Redis

# Called with (reason, seconds) before a wait we can measure, so the provider can tell the user.
WaitListener = Callable[[str, float], None]
T = TypeVar("T")

# Names inside a shared store; the version lets a future layout live beside this one.
_SQLITE_PAUSE_TABLE = "descope_pause_v1"
_REDIS_PREFIX = "pulumi-descope-dynamic:v1"
# A store that does not answer within this long is treated as unreachable (Redis; SQLite waits
# for a busy file this long before giving up).
STORE_TIMEOUT_SECONDS = 10.0
# How long the first attempt at a token may wait (for the bucket's lock, or for room) before the
# caller is told that the budget is spent.
FIRST_ATTEMPT_SECONDS = 0.05


class RateLimitStoreError(DescopeError):
    """The shared rate-limit store cannot be opened or used. Not retried: the message says what to
    fix, and falling back to a per-process budget would bring back the collisions on 429s."""


def window_with_slack_ms(seconds: float) -> int:
    """The bucket's window, a little wider than the server's: our token is stamped before the
    request leaves, and the server counts its arrival, a few milliseconds later (more over the
    internet). Without slack a refill burst lands just before the server's window has passed and
    meets a 429 (measured by bench/quota_throughput). 1% of the window, at least 100 ms."""
    window_ms = seconds * 1000
    return round(window_ms + max(100.0, window_ms / 100))


@dataclass(frozen=True)
class Limit:
    """One limit Descope documents (docs.descope.com/rate-limiting): `per` "ip" counts every request
    from one address (so one budget per API host in a shared store); "project" counts the requests
    of one project to `paths` (None: every path)."""

    name: str
    quota: RateBudget
    per: str  # "ip" or "project"
    paths: frozenset[str] | None = None

    def counts(self, path: str) -> bool:
        return self.paths is None or path in self.paths


# The user-management limits, per project, on top of the per-IP management quota (a request to one of
# these paths takes from both buckets). The per-IP quota is descope:rateLimit (100/60 documented).
USER_CREATE_LIMIT = Limit(
    "user-create",
    RateBudget(100, 60),
    "project",
    frozenset({"/v1/mgmt/user/create", "/v1/mgmt/user/create/batch", "/v1/mgmt/user/create/test"}),
)
USER_UPDATE_SEARCH_LIMIT = Limit(
    "user-update-search",
    RateBudget(200, 60),
    "project",
    frozenset({"/v1/mgmt/user/update", "/v1/mgmt/user/search"}),
)
PROJECT_LIMITS = (USER_CREATE_LIMIT, USER_UPDATE_SEARCH_LIMIT)


class RateLimiterProtocol(Protocol):
    def acquire(
        self, timeout: float | None = None, on_wait: WaitListener | None = None, path: str = ""
    ) -> None:
        """Block until one request to `path` may be sent (a token from every bucket it counts
        against); report a wait to `on_wait` first. Raise TimeoutError when that cannot happen within
        `timeout` seconds."""

    def pause(self, seconds: float) -> None:
        """Hold every caller for `seconds` (the server said so with a 429)."""


# ---- where the pause and the bucket live -----------------------------------------------------------


class PauseStore(Protocol):
    """The instant (on the limiter's clock) before which no request may be sent."""

    def resume_at(self) -> float: ...

    def extend_to(self, resume_at: float) -> None:
        """Move the instant later, never earlier: a shorter pause never shortens a longer one."""


class MemoryPauses:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._resume_at = 0.0

    def resume_at(self) -> float:
        with self._lock:
            return self._resume_at

    def extend_to(self, resume_at: float) -> None:
        with self._lock:
            self._resume_at = max(self._resume_at, resume_at)


class SqlitePauses:
    """One row per budget in the store's file; SQLite's own locking makes the upsert atomic across
    processes."""

    def __init__(self, path: str, key: str) -> None:
        self._key = key
        self._lock = threading.Lock()  # one connection, shared by this process's threads
        self._conn = sqlite3.connect(path, timeout=STORE_TIMEOUT_SECONDS, check_same_thread=False)
        with self._lock, self._conn:
            self._conn.execute(
                f"CREATE TABLE IF NOT EXISTS {_SQLITE_PAUSE_TABLE} (key TEXT PRIMARY KEY, resume_at REAL)"
            )

    def resume_at(self) -> float:
        with self._lock:
            row = self._conn.execute(
                f"SELECT resume_at FROM {_SQLITE_PAUSE_TABLE} WHERE key = ?", (self._key,)
            ).fetchone()
        return float(row[0]) if row else 0.0

    def extend_to(self, resume_at: float) -> None:
        with self._lock, self._conn:
            self._conn.execute(
                f"INSERT INTO {_SQLITE_PAUSE_TABLE} (key, resume_at) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET resume_at = max(resume_at, excluded.resume_at)",
                (self._key, resume_at),
            )


# Atomic "max" on the server: read-compare-write from the client could shorten a longer pause that
# another machine wrote in between. The key expires a minute after the pause ends.
_REDIS_EXTEND = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 0
"""


class RedisPauses:
    def __init__(self, client: Redis, key: str, clock: Callable[[], float]) -> None:
        self._client = client
        self._key = key
        self._clock = clock
        self._extend = client.register_script(_REDIS_EXTEND)

    def resume_at(self) -> float:
        value = self._client.get(self._key)
        return float(value) if value is not None else 0.0

    def extend_to(self, resume_at: float) -> None:
        ttl_ms = max(1, round((resume_at - self._clock() + 60) * 1000))
        self._extend(keys=[self._key], args=[repr(resume_at), ttl_ms])


class _Backend:
    """Opens one store's pause and bucket, and knows which of its exceptions mean "the store is
    unreachable or broken" (turned into RateLimitStoreError with the fix)."""

    def __init__(self, store: RateLimitStore, scope: str, clock: Callable[[], float]) -> None:
        self.store = store
        self._clock = clock
        # One budget per API host in a shared store: Descope counts per source IP, whatever the
        # project, so every stack and project that talks to that host draws from it.
        self._scope = scope
        self._digest = hashlib.sha256(scope.encode()).hexdigest()[:16]
        self._redis: Redis | None = None
        self.errors: tuple[type[BaseException], ...] = (sqlite3.Error, OSError)
        if store.kind == "redis":
            import redis  # imported only when a Redis store is chosen

            self.errors = (redis.RedisError, OSError)

    def _redis_client(self) -> Redis:
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(
                self.store.location,
                socket_connect_timeout=STORE_TIMEOUT_SECONDS,
                socket_timeout=STORE_TIMEOUT_SECONDS,
            )
            self._redis.ping()
        return self._redis

    def _sqlite_path(self) -> str:
        path = Path(self.store.location)
        path.parent.mkdir(parents=True, exist_ok=True)
        return str(path)

    def pauses(self) -> PauseStore:
        if self.store.kind == "sqlite":
            return SqlitePauses(self._sqlite_path(), self._digest)
        if self.store.kind == "redis":
            return RedisPauses(self._redis_client(), f"{_REDIS_PREFIX}:pause:{self._digest}", self._clock)
        return MemoryPauses()

    def bucket(self, rates: list[Rate], name: str = "") -> AbstractBucket:
        """The per-IP bucket (no `name`), or another limit's (`name` already holds its project)."""
        from pyrate_limiter import InMemoryBucket, RedisBucket, SQLiteBucket  # ~12 ms: not for a preview

        digest = (
            self._digest if not name else hashlib.sha256(f"{self._scope}|{name}".encode()).hexdigest()[:16]
        )
        if self.store.kind == "sqlite":
            # The file lock serialises the bucket's check-and-insert across processes.
            return SQLiteBucket.init_from_file(
                rates, table=f"budget_v1_{digest}", db_path=self._sqlite_path(), use_file_lock=True
            )
        if self.store.kind == "redis":
            # A Lua script makes the check-and-insert atomic on the server.
            bucket: AbstractBucket = RedisBucket.init(
                rates, self._redis_client(), f"{_REDIS_PREFIX}:budget:{digest}"
            )
            return bucket
        return InMemoryBucket(rates)

    def locks(self, holder: str) -> StoreLocks | None:
        """Object locks in the same store (None for `memory`: the process's own locks suffice)."""
        if self.store.kind == "sqlite":
            return SqliteLocks(self._sqlite_path(), holder)
        if self.store.kind == "redis":
            return RedisLocks(self._redis_client(), f"{_REDIS_PREFIX}:lock", holder)
        return None

    def failure(self, exc: BaseException) -> RateLimitStoreError:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        if self.store.kind == "sqlite":
            fix = (
                "check that the file's directory exists and is writable, or choose another file with "
                "sqlite:///ABSOLUTE/PATH"
            )
        else:
            fix = "start that Redis server or fix the URL (redis://HOST:PORT/DB)"
        return RateLimitStoreError(
            f"the shared rate-limit store {self.store} ({RATE_LIMIT_STORE_SETTING}) cannot be used: "
            f"{type(exc).__name__}: {detail}; {fix}, or set it to `memory` for a budget of this process "
            "only (several processes sharing one Descope quota will then meet 429s)"
        )


# ---- the limiters ------------------------------------------------------------------------------------


class UnlimitedRateLimiter:
    """No client budget; still honours pauses from 429s so concurrent callers wait together (in
    every process sharing the store, when there is one)."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] | None = None,
        sleeper: Callable[[float], None] = time.sleep,
        store: RateLimitStore = MEMORY_STORE,
        scope: str = "",
        report: RateReport = RATE_REPORT,
    ) -> None:
        # A pause in a shared store is an instant other processes (other machines, with Redis) read,
        # so it is wall-clock time there; within one process the monotonic clock is safer.
        self._clock = clock or (time.time if store.shared else time.monotonic)
        self._sleeper = sleeper
        self.store = store
        self.report = report
        self._backend = _Backend(store, scope, self._clock)
        self._lock = threading.Lock()
        self._open_lock = threading.Lock()
        self._pauses: PauseStore | None = None
        self._locks: dict[str, StoreLocks | None] = {}

    def _guarded(self, action: Callable[[], T]) -> T:
        """Run a store operation; an unreachable or broken store becomes RateLimitStoreError."""
        try:
            return action()
        except RateLimitStoreError:
            raise
        except self._backend.errors as exc:
            raise self._backend.failure(exc) from None

    def store_locks(self, holder: str) -> StoreLocks | None:
        """Object locks kept in this limiter's store, shared with every process using it; None for
        `memory`. `holder` says who holds a lock, for the message of whoever waits too long."""
        with self._open_lock:
            if holder not in self._locks:
                self._locks[holder] = self._guarded(lambda: self._backend.locks(holder))
            return self._locks[holder]

    def guarded(self, action: Callable[[], T]) -> T:
        return self._guarded(action)

    def _pause_store(self) -> PauseStore:
        with self._open_lock:
            if self._pauses is None:
                self._pauses = self._guarded(self._backend.pauses)
            return self._pauses

    def pause(self, seconds: float) -> None:
        pauses = self._pause_store()
        self._guarded(lambda: pauses.extend_to(self._clock() + seconds))

    def paused_for(self) -> float:
        pauses = self._pause_store()
        return max(0.0, self._guarded(pauses.resume_at) - self._clock())

    def _wait_out_pause(self, timeout: float | None, on_wait: WaitListener | None) -> float | None:
        """Sleep through a pending pause; return the timeout left for the bucket."""
        wait = self.paused_for()
        if wait > 0:
            if timeout is not None and wait > timeout:
                raise TimeoutError(f"rate limited by Descope for another {wait:.0f} s")
            if on_wait:
                on_wait("rate limited by Descope (HTTP 429); every caller waits", wait)
            with self.report.waiting("retry_after"):
                self._sleeper(wait)
            if timeout is not None:
                timeout -= wait
        return timeout

    def acquire(
        self, timeout: float | None = None, on_wait: WaitListener | None = None, path: str = ""
    ) -> None:
        self._wait_out_pause(timeout, on_wait)


class SharedRateLimiter(UnlimitedRateLimiter):
    """Pyrate-limiter buckets in `store`, plus 429 pauses: `share` percent of `budget` (the per-IP
    management quota) for every request, and `share` percent of each per-project limit in `limits`
    for the requests to its paths. A request takes a token from every bucket it counts against."""

    _NAME = "descope-management"

    def __init__(
        self,
        budget: RateBudget,
        *,
        clock: Callable[[], float] | None = None,
        sleeper: Callable[[float], None] = time.sleep,
        store: RateLimitStore = MEMORY_STORE,
        scope: str = "",
        share: float = 100.0,
        project: str = "",
        limits: tuple[Limit, ...] = PROJECT_LIMITS,
        report: RateReport = RATE_REPORT,
    ) -> None:
        super().__init__(clock=clock, sleeper=sleeper, store=store, scope=scope, report=report)
        self.quota = budget  # Descope's, as configured
        self.share = share
        self.budget = budget.share(share)  # ours
        self.project = project
        self.limits = (Limit("management", budget, "ip"), *limits)
        self._last_budget_notice = float("-inf")
        self._limiters: dict[str, Limiter] = {}

    def _bucket_limiter(self, limit: Limit | None = None) -> Limiter:
        limit = limit or self.limits[0]
        with self._open_lock:
            if limit.name not in self._limiters:
                from pyrate_limiter import Limiter, Rate  # ~12 ms: only once a request is sent

                ours = limit.quota.share(self.share)
                rates = [Rate(ours.requests, window_with_slack_ms(ours.seconds))]
                name = "" if limit.per == "ip" else f"{self.project}|{limit.name}"
                bucket = self._guarded(lambda: self._backend.bucket(rates, name))
                self._limiters[limit.name] = Limiter(bucket, buffer_ms=10)
            return self._limiters[limit.name]

    def _notify_budget_spent(self, on_wait: WaitListener | None, limit: Limit) -> None:
        """Say so once per budget window, not once per blocked request (hundreds on a big up)."""
        with self._lock:
            now = self._clock()
            due = now - self._last_budget_notice >= self.budget.seconds
            if due:
                self._last_budget_notice = now
        if due and on_wait:
            what = "" if limit.per == "ip" else f" for {limit.name} (per project)"
            on_wait(
                f"client-side budget of {limit.quota.share(self.share)} requests/seconds{what} is used up "
                f"({self.share:g}% of the quota, descope:rateLimitShare); waiting for capacity",
                0.0,
            )

    def _take(self, limit: Limit, timeout: float | None, on_wait: WaitListener | None) -> float | None:
        """One token of `limit`'s bucket; returns the timeout left."""
        limiter = self._bucket_limiter(limit)
        started = time.monotonic()
        # The first attempt only tells whether to report a wait. It is a blocking one with a short
        # deadline rather than pyrate's blocking=False, which passes `False` positionally to the
        # SQLite bucket's file lock as its timeout (refused by filelock 4), and which would read a
        # lock held for a millisecond by another process as a spent budget.
        first = FIRST_ATTEMPT_SECONDS if timeout is None else max(0.0, min(timeout, FIRST_ATTEMPT_SECONDS))
        if not self._guarded(lambda: limiter.try_acquire(self._NAME, timeout=first)):
            self._notify_budget_spent(on_wait, limit)
            left = None if timeout is None else timeout - (time.monotonic() - started)
            if left is not None and left <= 0:
                raise TimeoutError("no capacity left in the client-side rate budget before the deadline")
            # pyrate-limiter blocks (outside its lock) until the bucket has room, or the time is up.
            wait_limit = -1 if left is None else left
            with self.report.waiting("budget"):
                taken = self._guarded(lambda: limiter.try_acquire(self._NAME, timeout=wait_limit))
            if not taken:
                raise TimeoutError("no capacity left in the client-side rate budget before the deadline")
        if timeout is not None:
            timeout = max(0.0, timeout - (time.monotonic() - started))
        return timeout

    def acquire(
        self, timeout: float | None = None, on_wait: WaitListener | None = None, path: str = ""
    ) -> None:
        timeout = self._wait_out_pause(timeout, on_wait)
        # The narrow per-project limits first: a per-IP token is not held idle while one of them waits.
        for limit in (*self.limits[1:], self.limits[0]):
            if limit.counts(path) or limit.per == "ip":
                timeout = self._take(limit, timeout, on_wait)
        # Another caller (another process, with a shared store) may have met a 429 while this one
        # waited for its token: sending now would only meet another.
        self._wait_out_pause(timeout, on_wait)


_registry: dict[tuple[str, str], UnlimitedRateLimiter] = {}
_registry_lock = threading.Lock()


def shared_rate_limiter(
    base_url: str,
    project_id: str,
    budget: RateBudget | None,
    store: RateLimitStore = MEMORY_STORE,
    share: float = 100.0,
) -> UnlimitedRateLimiter:
    """The process-wide limiter for (base URL, project). A later caller with a different budget,
    share or store replaces it: the newest stack configuration wins. Nothing is opened here: a shared
    store is opened (and an unreachable one reported) at the first request."""
    key = (base_url, project_id)
    with _registry_lock:
        current = _registry.get(key)
        current_budget = (current.quota, current.share) if isinstance(current, SharedRateLimiter) else None
        wanted = (budget, share) if budget else None
        if current is None or current_budget != wanted or current.store != store:
            if budget:
                current = SharedRateLimiter(
                    budget, store=store, scope=base_url, share=share, project=project_id
                )
            else:
                current = UnlimitedRateLimiter(store=store, scope=base_url)
            _registry[key] = current
        return current
