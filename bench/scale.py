"""scale_*: what a stack of many tenants costs over the same number of no-op dynamic resources.

For each size (300, 1000, 3000 tenants; `--quick`: 20 and 60), three new stacks on the real engine
(bench/engine_stacks.py: real CLI, Automation API, file backend, emulator without quota, client
budget off): n Tenants, n no-op dynamic resources and n no-op resources of a Tenant's shape
(bench/noop_provider.py). The kinds are measured interleaved (the order alternates from one
operation to the next, so a busy moment of the shared machine hits all alike): first `up`, no-op
`preview` (twice each), no-op `up`, `refresh` (twice each), then `pulumi stack export` of each.
The repeated operations count their fastest run: noise on a shared machine only ever adds time.

Metrics (one line per size, `params.tenants`):
* `scale_up_ratio`, `scale_preview_ratio`, `scale_refresh_ratio`: tenants' time / no-op's time;
* `scale_same_shape_ratio`: the worst of those three against as many no-op resources of a Tenant's
  shape (`ShapedNoop`: the sdk's property bag and the provider's outputs, none of our code): what
  our code adds beyond the shape; params give each operation, and the shape's own cost over `Noop`;
* `scale_growth_exponent` (one line per pair of sizes): log(t2/t1) / log(n2/n1) of the tenants'
  first `up` minus the same of the no-op's (the engine's own growth); params give both for every
  operation. Above 0: ours grows faster than the engine's;
* `scale_state_bytes_per_tenant`: (export of the tenant stack - export of the no-op stack) / n, the
  bytes the provider adds per resource on top of what any dynamic resource costs (every checkpoint
  writes them, so they count n times in a first `up`);
* `scale_plugin_peak_rss_mb`: the dynamic plugin's peak resident set (VmHWM, sampled every
  0.2 s from /proc) over the tenant stack's operations; baseline the no-op stack's.

`BENCH_SCALE_SIZES=100,1000` measures other sizes (the issue's table).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from bench.common import Goal, Options, Stopwatch, emit, note
from bench.engine_stacks import Kind, UpRun, check_created, up

NAME: Final = "scale"
METRICS: Final = (
    "scale_up_ratio",
    "scale_preview_ratio",
    "scale_refresh_ratio",
    "scale_same_shape_ratio",
    "scale_growth_exponent",
    "scale_state_bytes_per_tenant",
    "scale_plugin_peak_rss_mb",
)
NEEDS_CLI: Final = True

SIZES: Final = (300, 1000, 3000)
QUICK_SIZES: Final = (20, 60)
RATIO_GOAL: Final = Goal("<=", 1.25)
# The exponents of two noisy timings: a difference below this is noise, not growth.
GROWTH_GOAL: Final = Goal("<=", 0.1)
STATE_GOAL: Final = Goal("<=", 1024)
RSS_GOAL: Final = Goal("<=", 150)
KINDS: Final[tuple[Kind, ...]] = ("noop", "shaped", "tenants")
# Stack tags of engine_stacks.up (its tenant ids are "eng<tag>-<index>"), apart from engine_overhead's.
TAG_BASE: Final = 100


def _sizes(options: Options) -> tuple[int, ...]:
    given = os.environ.get("BENCH_SCALE_SIZES", "").strip()
    if given:
        return tuple(int(part) for part in given.split(","))
    return QUICK_SIZES if options.quick else SIZES


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _plugin_peaks_kb() -> dict[int, int]:
    """VmHWM of every dynamic-provider plugin process below this one."""
    tree = _children()
    found: dict[int, int] = {}
    pending = list(tree.get(os.getpid(), []))
    while pending:
        pid = pending.pop()
        pending.extend(tree.get(pid, []))
        try:
            if b"pulumi.dynamic" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    found[pid] = int(line.split()[1])
        except OSError:
            continue
    return found


@contextmanager
def _peak_rss(into: list[int]) -> Iterator[None]:
    """Appends the largest plugin VmHWM (kB) seen while the block runs."""
    stop = threading.Event()
    peak = [0]

    def sample() -> None:
        while not stop.wait(0.2):
            peak[0] = max([peak[0], *_plugin_peaks_kb().values()])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield
    finally:
        stop.set()
        sampler.join()
        into.append(peak[0])


def _timed(action: Callable[[], Any], rss: list[int]) -> float:
    with _peak_rss(rss), Stopwatch() as watch:
        action()
    return watch.seconds


def measure(options: Options, count: int, tag: int) -> dict[str, Any]:
    """Every operation of both kinds at one size, interleaved; seconds per operation and kind."""
    rss: dict[Kind, list[int]] = {kind: [] for kind in KINDS}
    runs: dict[Kind, UpRun] = {}
    seconds: dict[str, dict[Kind, list[float]]] = {}
    order = list(KINDS) if tag % 2 == 0 else list(reversed(KINDS))
    for kind in order:
        with _peak_rss(rss[kind]):
            runs[kind] = up(options, kind, count, tag)
        check_created(runs[kind])
    seconds["up"] = {kind: [runs[kind].up_seconds] for kind in KINDS}

    def repeat(operation: str, times: int, call: Callable[[UpRun], Any]) -> None:
        samples: dict[Kind, list[float]] = {kind: [] for kind in KINDS}
        for round_ in range(times):
            for kind in order if round_ % 2 == 0 else reversed(order):
                note(f"scale: {operation} of {count} {kind} (round {round_})")
                samples[kind].append(_timed(lambda kind=kind: call(runs[kind]), rss[kind]))  # type: ignore[misc]
        seconds[operation] = samples

    def expect_no_changes(run: UpRun, result: Any) -> None:
        changes = {op: n for op, n in (result.change_summary or {}).items() if str(op) != "same"}
        if changes:
            raise RuntimeError(f"no-op preview of {run.kind} wants changes: {changes}")

    repeat("preview", 2, lambda run: expect_no_changes(run, run.stack.preview()))
    repeat("noop_up", 1, lambda run: run.stack.up())
    repeat("refresh", 2, lambda run: run.stack.refresh())
    exports = {kind: runs[kind].stack.export_text() for kind in KINDS}
    _check_same_shape(exports["shaped"], exports["tenants"])
    state = {kind: len(exports[kind].encode()) for kind in KINDS}
    return {
        "tenants": count,
        "seconds": seconds,
        "best": {op: {kind: min(samples[kind]) for kind in KINDS} for op, samples in seconds.items()},
        "state_bytes": state,
        "plugin_peak_rss_kb": {kind: max(rss[kind], default=0) for kind in KINDS},
    }


def _check_same_shape(shaped: str, tenants: str) -> None:
    """The shaped no-op must store what a tenant stores (the same input and output keys), or the
    comparison with it means nothing: it is a literal in bench/noop_provider.py, the Tenant is not."""

    def keys(export: str, type_suffix: str) -> tuple[list[str], list[str]]:
        resources = json.loads(export)["deployment"]["resources"]
        first = next(r for r in resources if r["type"].endswith(type_suffix))
        return sorted(first.get("inputs", {})), sorted(first.get("outputs", {}))

    if keys(shaped, ":ShapedNoop") != keys(tenants, ":Tenant"):
        raise RuntimeError(
            f"ShapedNoop no longer stores what a Tenant stores: {keys(shaped, ':ShapedNoop')} vs "
            f"{keys(tenants, ':Tenant')}; update bench/noop_provider.py TENANT_OUTPUTS"
        )


def _exponent(small: dict[str, Any], large: dict[str, Any], op: str, kind: Kind) -> float:
    t1, t2 = small["best"][op][kind], large["best"][op][kind]
    return math.log(t2 / t1) / math.log(large["tenants"] / small["tenants"])


def run(options: Options) -> None:
    results = []
    for index, count in enumerate(_sizes(options)):
        result = measure(options, count, TAG_BASE + index)
        results.append(result)
        best = result["best"]
        note(f"scale: {count}: {best}")
        for op in ("up", "preview", "refresh"):
            metric = f"scale_{op}_ratio"
            emit(
                metric,
                best[op]["tenants"] / best[op]["noop"],
                "ratio",
                RATIO_GOAL,
                1.0,
                {
                    "tenants": count,
                    "tenants_s": best[op]["tenants"],
                    "noop_s": best[op]["noop"],
                    "samples_s": result["seconds"][op],
                    "noop_up_ratio": best["noop_up"]["tenants"] / best["noop_up"]["noop"],
                    "shaped_s": best[op]["shaped"],
                    "over_same_shape": best[op]["tenants"] / best[op]["shaped"],
                    "baseline": "the same operation on as many no-op dynamic resources, same run",
                },
                options=options,
            )
        over_shape = {
            op: best[op]["tenants"] / best[op]["shaped"] for op in ("up", "preview", "noop_up", "refresh")
        }
        emit(
            "scale_same_shape_ratio",
            max(over_shape[op] for op in ("up", "preview", "refresh")),
            "ratio",
            RATIO_GOAL,
            1.0,
            {
                "tenants": count,
                "ratios": over_shape,
                "shape_over_noop": {op: best[op]["shaped"] / best[op]["noop"] for op in over_shape},
                "baseline": (
                    "the worst of first up, no-op preview and refresh over as many no-op resources with a "
                    "Tenant's properties and outputs (bench/noop_provider.py ShapedNoop): our code's share"
                ),
            },
            options=options,
        )
        state = result["state_bytes"]
        emit(
            "scale_state_bytes_per_tenant",
            (state["tenants"] - state["noop"]) / count,
            "bytes",
            STATE_GOAL,
            state["noop"] / count,
            {
                "tenants": count,
                "export_bytes_tenants": state["tenants"],
                "export_bytes_noop": state["noop"],
                "baseline": "export bytes per no-op dynamic resource (the engine's own share)",
            },
            options=options,
        )
        rss = result["plugin_peak_rss_kb"]
        emit(
            "scale_plugin_peak_rss_mb",
            rss["tenants"] / 1024,
            "MB",
            RSS_GOAL,
            rss["noop"] / 1024,
            {"tenants": count, "baseline": "the no-op stack's plugin, same operations"},
            options=options,
        )
    for small, large in itertools.pairwise(results):
        exponents = {
            op: {kind: _exponent(small, large, op, kind) for kind in KINDS}
            for op in ("up", "preview", "noop_up", "refresh")
        }
        worst = max(exponents[op]["tenants"] - exponents[op]["noop"] for op in ("up", "preview", "refresh"))
        emit(
            "scale_growth_exponent",
            exponents["up"]["tenants"] - exponents["up"]["noop"],
            "exponent",
            GROWTH_GOAL,
            0.0,
            {
                "sizes": [small["tenants"], large["tenants"]],
                "exponents": exponents,
                "worst_difference_up_preview_refresh": worst,
                "baseline": "the engine's own growth (no-op resources) = 0",
            },
            goal_met=worst <= GROWTH_GOAL.target,
            options=options,
        )
