"""Seeded, reproducible fault injection for /v1/ requests.

Per request the injector makes one draw from ``random.Random(seed)``: a uniform number compared with
the cumulative per-kind rates (in the fixed order of ``FaultKind``), then, for the kinds that have
variants, one choice of status or body. Same seed and same request sequence give the same faults.

Kinds, and what the server does for each:
- ``error``: answers 503/520/522/524/530 with a Descope-style JSON, a Cloudflare text or an HTML body;
  the request is not processed.
- ``reset``: closes the connection with a TCP RST before processing the request.
- ``slow``: waits ``slow_seconds`` and then answers normally.
- ``lost_response``: processes (commits) the request, then resets the connection without answering.
- ``malformed``: ``empty`` (200, empty body) and ``truncated`` (200, half a JSON body) are sent after
  the request was processed, as if a proxy mangled the answer; ``html`` is a 502 proxy error page
  sent without processing.
- ``hang``: reads the request and never answers; after ``hang_seconds`` (or at server shutdown) it
  resets the connection. Nothing is processed.

Tests can also queue exact faults (``enqueue``) for the next matching requests; a queued fault is
used instead of a random draw and consumes no randomness.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any, Final, TypedDict


class FaultKind(StrEnum):
    ERROR = "error"
    RESET = "reset"
    SLOW = "slow"
    LOST_RESPONSE = "lost_response"
    MALFORMED = "malformed"
    HANG = "hang"


ERROR_STATUSES: Final = (503, 520, 522, 524, 530)
ERROR_BODY_STYLES: Final = ("json", "text", "html")
MALFORMED_VARIANTS: Final = ("empty", "truncated", "html")
# The kinds `--fault-rate P` spreads P over, uniformly.
CLI_FAULT_KINDS: Final = (FaultKind.ERROR, FaultKind.RESET, FaultKind.SLOW, FaultKind.LOST_RESPONSE)


@dataclass(frozen=True)
class FaultConfig:
    """Per-kind probabilities (their sum at most 1) and the durations of slow and hang faults."""

    error_rate: float = 0.0
    reset_rate: float = 0.0
    slow_rate: float = 0.0
    lost_response_rate: float = 0.0
    malformed_rate: float = 0.0
    hang_rate: float = 0.0
    slow_seconds: float = 2.0
    hang_seconds: float = 30.0

    def __post_init__(self) -> None:
        rates = [rate for _, rate in self.rates()]
        if any(not 0.0 <= rate <= 1.0 for rate in rates):
            raise ValueError("fault rates must be between 0 and 1")
        if sum(rates) > 1.0 + 1e-9:
            raise ValueError("fault rates must add up to at most 1")
        if self.slow_seconds < 0 or self.hang_seconds < 0:
            raise ValueError("slow_seconds and hang_seconds must be >= 0")

    @classmethod
    def uniform(cls, probability: float, *, slow_seconds: float = 2.0) -> FaultConfig:
        """``--fault-rate P``: P split evenly over 5xx, reset, slow and lost response."""
        share = probability / len(CLI_FAULT_KINDS)
        return cls(
            error_rate=share,
            reset_rate=share,
            slow_rate=share,
            lost_response_rate=share,
            slow_seconds=slow_seconds,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FaultConfig:
        """Builds a config from admin JSON. Missing rates are 0; ``fault_rate`` is the CLI shorthand,
        to which explicit per-kind rates are added."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known - {"fault_rate", "seed", "queue"}
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        values: dict[str, float] = {}
        for key in known:
            if data.get(key) is not None:
                values[key] = _number(data[key], key)
        shorthand = data.get("fault_rate")
        if shorthand is not None:
            share = _number(shorthand, "fault_rate") / len(CLI_FAULT_KINDS)
            for kind in CLI_FAULT_KINDS:
                key = f"{kind.value}_rate"
                values[key] = values.get(key, 0.0) + share
        return cls(**values)

    def to_json(self) -> dict[str, float]:
        return asdict(self)

    def rates(self) -> list[tuple[FaultKind, float]]:
        return [(kind, float(getattr(self, f"{kind.value}_rate"))) for kind in FaultKind]

    @property
    def active(self) -> bool:
        return any(rate > 0 for _, rate in self.rates())


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key} must be a number")
    return float(value)


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    status: int = 0  # error: the 5xx status
    variant: str = ""  # error: the body style; malformed: which malformation


@dataclass(frozen=True)
class _Queued:
    fault: Fault
    method: str | None
    path: str | None

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (self.path is None or self.path == path)


class FaultTarget(TypedDict, total=False):
    """Which request a queued fault meets (``method``, exact ``path``), and its ``status``/``variant``."""

    method: str | None
    path: str | None
    status: int | None
    variant: str | None


class FaultInjector:
    def __init__(self, config: FaultConfig | None = None, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._config = config or FaultConfig()
        self._seed = seed
        self._rng = random.Random(seed)
        self._queue: list[_Queued] = []

    @property
    def config(self) -> FaultConfig:
        return self._config

    @property
    def seed(self) -> int:
        return self._seed

    def configure(self, config: FaultConfig | None, seed: int | None = None) -> None:
        """Replaces the rates and restarts the random sequence (from ``seed`` if given)."""
        with self._lock:
            self._config = config or FaultConfig()
            if seed is not None:
                self._seed = seed
            self._rng = random.Random(self._seed)

    def reset(self) -> None:
        """Restarts the random sequence and drops queued faults."""
        with self._lock:
            self._rng = random.Random(self._seed)
            self._queue.clear()

    def enqueue(
        self,
        kind: FaultKind | str,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        variant: str | None = None,
    ) -> None:
        """Makes the next /v1/ request matching ``method`` and ``path`` (exact, no query) meet ``kind``."""
        kind = FaultKind(kind)
        if kind is FaultKind.ERROR:
            status = ERROR_STATUSES[0] if status is None else status
            if not 500 <= status <= 599:
                raise ValueError("an error fault needs a 5xx status")
            variant = variant or "json"
            if variant not in ERROR_BODY_STYLES:
                raise ValueError(f"error body style must be one of {ERROR_BODY_STYLES}")
        elif kind is FaultKind.MALFORMED:
            variant = variant or "empty"
            if variant not in MALFORMED_VARIANTS:
                raise ValueError(f"malformed variant must be one of {MALFORMED_VARIANTS}")
        fault = Fault(kind, status or 0, variant or "")
        with self._lock:
            self._queue.append(_Queued(fault, method.upper() if method else None, path))

    def queued(self) -> list[dict[str, Any]]:
        with self._lock:
            return [
                {
                    "kind": q.fault.kind.value,
                    "method": q.method,
                    "path": q.path,
                    "status": q.fault.status or None,
                }
                for q in self._queue
            ]

    def draw(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for index, queued in enumerate(self._queue):
                if queued.matches(method, path):
                    del self._queue[index]
                    return queued.fault
            if not self._config.active:
                return None
            roll = self._rng.random()
            threshold = 0.0
            for kind, rate in self._config.rates():
                threshold += rate
                if roll < threshold:
                    return self._with_variant(kind)
            return None

    def _with_variant(self, kind: FaultKind) -> Fault:
        if kind is FaultKind.ERROR:
            return Fault(kind, self._rng.choice(ERROR_STATUSES), self._rng.choice(ERROR_BODY_STYLES))
        if kind is FaultKind.MALFORMED:
            return Fault(kind, 0, self._rng.choice(MALFORMED_VARIANTS))
        return Fault(kind)


# ----- what faulty answers look like --------------------------------------------------------------

_REASONS: Final = {
    503: "Service Unavailable",
    520: "Web server is returning an unknown error",
    521: "Web server is down",
    522: "Connection timed out",
    524: "A timeout occurred",
    530: "Origin DNS error",
}


def error_answer(fault: Fault) -> tuple[int, str, bytes]:
    """(status, content type, body) of an ``error`` fault."""
    status = fault.status
    reason = _REASONS.get(status, "Server Error")
    if fault.variant == "text":
        # Cloudflare answers non-browser clients with a one-line text body.
        return status, "text/plain; charset=UTF-8", f"error code: {status}".encode()
    if fault.variant == "html":
        page = (
            f"<!DOCTYPE html><html><head><title>api.descope.com | {status}: {reason}</title></head>"
            f"<body><h1>Error {status}</h1><p>{reason}</p><p>Cloudflare Ray ID: 0000000000000000</p>"
            "</body></html>"
        )
        return status, "text/html; charset=UTF-8", page.encode()
    body = {
        "errorCode": f"E000{status}",
        "errorDescription": reason,
        "errorMessage": f"Temporary failure ({status}), try again",
    }
    return status, "application/json", json.dumps(body).encode()


PROXY_ERROR_PAGE: Final = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


def truncated(body: bytes) -> bytes:
    """Half of a JSON body: never valid JSON (even ``{}`` becomes ``{``)."""
    return body[: max(1, len(body) // 2)] if body else b"{"
