"""Counters and a bounded log of the /v1/ requests the emulator saw (admin requests are not counted).

Outcomes without an HTTP answer are counted under a name instead of a status: ``reset``,
``lost_response`` or ``hang``. The log never holds the Authorization header (nor any header whose name
contains "authorization", "cookie" or "key"), nor the value of any body field, at any depth, whose name
contains "secret", "password" or "cleartext" (an OIDC ``clientSecret``, an access-key cleartext).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Mapping
from typing import Any

from descope_emulator.faults import FaultKind

_SECRET_HEADER_MARKERS = ("authorization", "cookie", "key")
_SECRET_FIELD_MARKERS = ("secret", "password", "cleartext")
REDACTED = "<redacted>"


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {
        name: value
        for name, value in headers.items()
        if not any(marker in name.lower() for marker in _SECRET_HEADER_MARKERS)
    }


def redact_body(value: Any) -> Any:
    """``value`` with every secret-named field's value replaced by ``REDACTED``."""
    if isinstance(value, dict):
        return {
            name: REDACTED
            if any(marker in str(name).lower() for marker in _SECRET_FIELD_MARKERS)
            else redact_body(item)
            for name, item in value.items()
        }
    if isinstance(value, list):
        return [redact_body(item) for item in value]
    return value


class Stats:
    def __init__(self, log_size: int = 1000) -> None:
        self._lock = threading.Lock()
        self._log_size = log_size
        self._clear()

    def _clear(self) -> None:
        self._by_route: dict[str, dict[str, int]] = {}
        self._total = 0
        self._rate_limited = 0
        self._faults = {kind.value: 0 for kind in FaultKind}
        self._log: deque[dict[str, Any]] = deque(maxlen=self._log_size)
        self._sequence = 0

    def reset(self) -> None:
        with self._lock:
            self._clear()

    def record(
        self,
        *,
        method: str,
        route: str,
        target: str,
        outcome: str,
        fault: FaultKind | None,
        headers: Mapping[str, str],
        body: Any,
    ) -> None:
        """``outcome`` is the status as a string ("200", "429") or the name of a non-answer."""
        with self._lock:
            self._total += 1
            self._sequence += 1
            counts = self._by_route.setdefault(f"{method} {route}", {})
            counts[outcome] = counts.get(outcome, 0) + 1
            if outcome == "429":
                self._rate_limited += 1
            if fault is not None:
                self._faults[fault.value] += 1
            self._log.append(
                {
                    "seq": self._sequence,
                    "time": time.time(),
                    "method": method,
                    "path": target,
                    "status": int(outcome) if outcome.isdigit() else None,
                    "outcome": outcome,
                    "fault": None if fault is None else fault.value,
                    "headers": redact_headers(headers),
                    "body": body,
                }
            )

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": {route: dict(counts) for route, counts in self._by_route.items()},
                "total": self._total,
                "rate_limited": self._rate_limited,
                "faults": dict(self._faults),
            }

    def recent(self, limit: int | None = None) -> list[dict[str, Any]]:
        with self._lock:
            entries = list(self._log)
        return entries if limit is None else entries[-limit:] if limit > 0 else []
