"""What every benchmark shares: the result line, the machine description, an emulator on loopback,
the plugin's configuration and a few statistics helpers."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from descope_emulator import EmulatorServer, Quota

REPO_ROOT: Final[Path] = Path(__file__).resolve().parents[1]
RESULTS_PATH: Final[Path] = Path(__file__).resolve().parent / "results.jsonl"

# The engine runs at most this many resource operations of one plugin at a time (the dynamic
# plugin's gRPC server has four workers), so the benchmarks drive it the same way.
ENGINE_CONCURRENCY: Final = 4


@dataclass(frozen=True)
class Goal:
    """A target such as `<= 3`; rendered into the result line as text."""

    op: str
    target: float

    def __post_init__(self) -> None:
        if self.op not in ("<=", ">="):
            raise ValueError(f"unsupported goal operator {self.op!r}")

    def met(self, value: float) -> bool:
        return value <= self.target if self.op == "<=" else value >= self.target

    def __str__(self) -> str:
        return f"{self.op} {self.target:g}"


@dataclass
class Options:
    """Run-wide settings, plus a cache that lets metrics of one run share expensive setup."""

    quick: bool = False
    cache: dict[str, Any] = field(default_factory=dict)
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    def size(self, full: int, quick: int) -> int:
        return quick if self.quick else full


def machine() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def emit(
    metric: str,
    value: float,
    unit: str,
    goal: Goal | str,
    baseline: float | None,
    params: Mapping[str, Any],
    *,
    goal_met: bool | None = None,
    options: Options,
) -> dict[str, Any]:
    """Print one result line (flushed) and append it to bench/results.jsonl.

    `goal_met` overrides the plain comparison of `value` with `goal` when the goal has more
    conditions than the value alone (e.g. also "0 failures")."""
    if goal_met is None and isinstance(goal, Goal):
        goal_met = goal.met(value)
    line = {
        "metric": metric,
        "value": _rounded(value),
        "unit": unit,
        "goal": str(goal),
        "baseline": None if baseline is None else _rounded(baseline),
        "params": {
            **{key: _rounded(item) for key, item in params.items()},
            "goal_met": goal_met,
            "quick": options.quick,
            "machine": machine(),
        },
    }
    text = json.dumps(line, sort_keys=False)
    print(text, flush=True)
    with RESULTS_PATH.open("a", encoding="utf-8") as out:
        out.write(text + "\n")
    return line


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def note(message: str) -> None:
    """Progress for the human watching; stderr, so stdout stays one JSON object per line."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


@contextmanager
def emulator(quota: Quota | None = None) -> Iterator[EmulatorServer]:
    """A fresh in-process emulator on a free loopback port (so a fresh (base URL, project) key for
    the client's shared limiter registry)."""
    with EmulatorServer("127.0.0.1", 0, quota=quota) as server:
        yield server


def api_total(server: EmulatorServer) -> int:
    """Every /v1/ request the emulator has seen (admin requests are not counted)."""
    return int(server.stats()["total"])


def route_counts(server: EmulatorServer) -> dict[str, int]:
    return {route: sum(counts.values()) for route, counts in server.stats()["requests"].items()}


def route_growth(before: Mapping[str, int], after: Mapping[str, int]) -> dict[str, int]:
    return {
        route: count - before.get(route, 0) for route, count in after.items() if count != before.get(route, 0)
    }


def plugin_config(server: EmulatorServer, *, rate_limit: str | None = None) -> dict[str, str]:
    """Stack config of the Tenant provider for this emulator; `rate_limit` None keeps the
    provider's default budget (100/60)."""
    config = {
        "descope:projectId": server.project_id,
        "descope:managementKey": server.management_key,
        "descope:baseUrl": server.url,
    }
    if rate_limit is not None:
        config["descope:rateLimit"] = rate_limit
    return config


def median_ms(samples_ns: Sequence[int]) -> float:
    return statistics.median(samples_ns) / 1e6


def percentile_ms(samples_ns: Sequence[int], fraction: float) -> float:
    ordered = sorted(samples_ns)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index] / 1e6


class Stopwatch:
    """Wall time of a block: `with Stopwatch() as watch: ...; watch.seconds`."""

    def __init__(self) -> None:
        self._start = 0.0
        self.seconds = 0.0

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._start
