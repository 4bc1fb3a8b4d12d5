"""Per-object locks. `KeyedLocks`: within the process. The others: shared by every process that uses
the same rate-limit store (SQLite: every process on this machine; Redis: every machine using that
server), so two stacks or two CI jobs applying to one Descope project cannot interleave a
read-overlay-write (a tenant's settings body, which carries the tenant's domains and SSO fields) with
another write to the same object.

A lock is a row (SQLite) or a key (Redis) naming its holder (host, process id, what it does) with a
lease: a holder that was killed leaves a lock that others may take once its lease has passed, or at
once when the holder was a process on this host that no longer exists. Waiting is bounded: past the
wait, `ObjectLockTimeoutError` names the holder and what to do. Wall-clock time, since the instants
are compared across processes (and machines, with Redis).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

from .errors import DescopeError

if TYPE_CHECKING:
    from redis import Redis

_SQLITE_LOCK_TABLE = "descope_locks_v1"
POLL_SECONDS = 0.05


class KeyedLocks:
    """One re-entrant lock per key, made on first use (a handful of tenants per stack: they are
    kept rather than reference-counted). `hold` yields True to the outermost holder only."""

    def __init__(self) -> None:
        self._locks: dict[tuple[str, str], threading.RLock] = {}
        self._depth: dict[tuple[str, str], int] = {}
        self._guard = threading.Lock()

    @contextmanager
    def hold(self, key: tuple[str, str]) -> Iterator[bool]:
        with self._guard:
            lock = self._locks.setdefault(key, threading.RLock())
        with lock:
            depth = self._depth.get(key, 0)
            self._depth[key] = depth + 1
            try:
                yield depth == 0
            finally:
                self._depth[key] = depth


class ObjectLockTimeoutError(DescopeError):
    """Another process held the object's lock for longer than the bounded wait. Not retried."""


def this_host() -> str:
    return socket.gethostname()


def _alive_here(host: str, pid: int) -> bool:
    """False only when the holder is known to be gone: a process of this host that does not exist."""
    if host != this_host():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class StoreLocks(Protocol):
    def acquire(self, key: str, *, wait: float, lease: float, what: str) -> None:
        """Hold `key` or raise ObjectLockTimeoutError after `wait` seconds."""

    def release(self, key: str) -> None: ...


class _Polling:
    """The wait loop both stores share: try, and sleep a little, until taken or out of time."""

    def __init__(self, holder: str, clock: Callable[[], float], sleeper: Callable[[float], None]) -> None:
        self.holder = holder
        self._clock = clock
        self._sleeper = sleeper
        self._tokens: dict[str, str] = {}
        self._guard = threading.Lock()

    def _try(self, key: str, record: dict[str, object], lease: float) -> dict[str, object] | None:
        """Take the lock (None) or return the current holder's record."""
        raise NotImplementedError

    def acquire(self, key: str, *, wait: float, lease: float, what: str) -> None:
        token = secrets.token_hex(8)
        started = self._clock()
        record: dict[str, object] = {
            "token": token,
            "holder": self.holder,
            "host": this_host(),
            "pid": os.getpid(),
            "since": started,
        }
        while True:
            current = self._try(key, record, lease)
            if current is None:
                with self._guard:
                    self._tokens[key] = token
                return
            if self._clock() - started >= wait:
                held = self._clock() - float(str(current.get("since", started)))
                expires = float(str(current.get("expires_at", 0))) - self._clock()
                raise ObjectLockTimeoutError(
                    f"{what} is locked by {current.get('holder')} (host {current.get('host')}, pid "
                    f"{current.get('pid')}) for {held:.0f} s; waited {wait:.0f} s (descope:callDeadline). "
                    "Another `pulumi` run applying to the same Descope project holds it: let it finish "
                    f"and run again. If that process is gone, its lock lapses in {max(0.0, expires):.0f} s."
                )
            self._sleeper(POLL_SECONDS)

    def _token(self, key: str) -> str | None:
        with self._guard:
            return self._tokens.pop(key, None)


class SqliteLocks(_Polling):
    def __init__(
        self,
        path: str,
        holder: str,
        clock: Callable[[], float] = time.time,
        sleeper: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(holder, clock, sleeper)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, timeout=10.0, check_same_thread=False, isolation_level=None)
        with self._lock:
            self._conn.execute(
                f"CREATE TABLE IF NOT EXISTS {_SQLITE_LOCK_TABLE} "
                "(key TEXT PRIMARY KEY, record TEXT NOT NULL, expires_at REAL NOT NULL)"
            )

    def _try(self, key: str, record: dict[str, object], lease: float) -> dict[str, object] | None:
        now = self._clock()
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")  # one writer at a time, across processes
            try:
                row = self._conn.execute(
                    f"SELECT record, expires_at FROM {_SQLITE_LOCK_TABLE} WHERE key = ?", (key,)
                ).fetchone()
                if row is not None:
                    current = {**json.loads(row[0]), "expires_at": row[1]}
                    if row[1] > now and _alive_here(str(current["host"]), int(str(current["pid"]))):
                        return current
                self._conn.execute(
                    f"INSERT OR REPLACE INTO {_SQLITE_LOCK_TABLE} (key, record, expires_at) VALUES (?, ?, ?)",
                    (key, json.dumps(record), now + lease),
                )
                return None
            finally:
                self._conn.execute("COMMIT")

    def release(self, key: str) -> None:
        token = self._token(key)
        if token is None:
            return
        with self._lock:
            self._conn.execute(
                f"DELETE FROM {_SQLITE_LOCK_TABLE} WHERE key = ? AND json_extract(record, '$.token') = ?",
                (key, token),
            )


# Take the key if free, or if its holder's lease has passed; otherwise answer the holder's record.
_REDIS_TAKE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return nil end
return redis.call('GET', KEYS[1])
"""
_REDIS_RELEASE = """
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current)['token'] == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
"""
_REDIS_STEAL = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisLocks(_Polling):
    def __init__(
        self,
        client: Redis,
        prefix: str,
        holder: str,
        clock: Callable[[], float] = time.time,
        sleeper: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(holder, clock, sleeper)
        self._client = client
        self._prefix = prefix
        self._take = client.register_script(_REDIS_TAKE)
        self._release = client.register_script(_REDIS_RELEASE)
        self._steal = client.register_script(_REDIS_STEAL)

    def _try(self, key: str, record: dict[str, object], lease: float) -> dict[str, object] | None:
        name = f"{self._prefix}:{key}"
        value = json.dumps({**record, "expires_at": self._clock() + lease})
        current = self._take(keys=[name], args=[value, max(1, round(lease * 1000))])
        if current is None:
            return None
        decoded: dict[str, object] = json.loads(current)
        if not _alive_here(str(decoded["host"]), int(str(decoded["pid"]))):
            self._steal(keys=[name], args=[current])  # only if it is still that dead holder's
            return self._try(key, record, lease)
        return decoded

    def release(self, key: str) -> None:
        token = self._token(key)
        if token is not None:
            self._release(keys=[f"{self._prefix}:{key}"], args=[token])
