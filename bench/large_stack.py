"""large_stack_skip_checkpoints_saving: what `PULUMI_SKIP_CHECKPOINTS=true` saves on a large stack
of tenants (the README's large-stack recipe).

By default the engine's file backend writes the whole state at every step of a `pulumi up` (twice
per create: the pending operation, then its result), so a stack of n resources writes O(n^2) bytes.
With PULUMI_SKIP_CHECKPOINTS=true it writes once, at the end (pkg/backend/snapshot.go,
`unsafeServiceLoop`, Pulumi v3.274.1). At each size (300 and 1000 tenants; 30 and 100 with
--quick), on the real CLI (Automation API, file backend) against one emulator without quota and
without a client budget (`descope:rateLimit off`), each in a new stack: the first `pulumi up`
(creates everything) once with checkpoints (the default) and once without, which mode goes first
alternating between sizes; then no-op `pulumi up`s of both stacks, alternating (3 rounds, medians).
The value is the share of the first `up`'s
wall time saved at the largest size: 1 - without / with. Params give every time, the saving of the
no-op `up` and of each size, and the final state bytes (`pulumi stack export`).

What it risks is not measured here but tested: tests/e2e/test_skip_checkpoints_cli.py kills such an
`up` mid-way and recovers with the README's steps.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pulumi_descope_dynamic as descope

from bench.common import REPO_ROOT, Goal, Options, Stopwatch, emit, note
from bench.engine_stacks import RATE_LIMIT, shared_emulator
from tests.support.engine import EngineStack, new_stack

NAME: Final = "large_stack"
METRICS: Final = ("large_stack_skip_checkpoints_saving",)
NEEDS_CLI: Final = True

# Informational: the recipe is worth recommending only if it saves a real share of the first `up`.
GOAL: Final = Goal(">=", 0.25)
MODES: Final = ("checkpoints", "skip_checkpoints")


@dataclass
class Measured:
    stack: EngineStack
    first_up_s: float
    noop_up_s: list[float] = field(default_factory=list)

    def noop_up(self, count: int, mode: str) -> None:
        note(f"large_stack: no-op pulumi up of {count} tenants ({mode})")
        with Stopwatch() as noop:
            result = self.stack.up()
        if set(result.summary.resource_changes or {}) != {"same"}:
            raise RuntimeError(f"the no-op pulumi up changed something: {result.summary.resource_changes}")
        self.noop_up_s.append(noop.seconds)


def _program(count: int, tag: str) -> Callable[[], None]:
    def program() -> None:
        for index in range(count):
            tenant_id = f"big{tag}-{index:05d}"
            descope.Tenant(f"t{index:05d}", name=f"Large Stack {tenant_id}", tenant_id=tenant_id)

    return program


def _first_up(options: Options, count: int, mode: str) -> Measured:
    server = shared_emulator(options)
    root = Path(tempfile.mkdtemp(prefix=f"bench-large-{mode}-{count}-"))
    options.cleanups.append(lambda: shutil.rmtree(root, ignore_errors=True))
    env = {"PYTHONPATH": str(REPO_ROOT)}
    if mode == "skip_checkpoints":
        env["PULUMI_SKIP_CHECKPOINTS"] = "true"
    stack = new_stack(
        _program(count, f"{mode[0]}{count}"),
        root,
        base_url=server.url,
        project_id=server.project_id,
        management_key=server.management_key,
        stack_name="bench",
        project_name="bench-large",
        extra_config={"descope:rateLimit": RATE_LIMIT},
        env=env,
    )
    note(f"large_stack: pulumi up of {count} tenants ({mode})")
    with Stopwatch() as first:
        result = stack.up()
    summary = {str(op): int(n) for op, n in (result.summary.resource_changes or {}).items()}
    created = summary.get("create", 0)
    if created != count + 1:  # the tenants and the root Stack resource
        raise RuntimeError(f"pulumi up of {count} tenants ({mode}) created {created} resources")
    return Measured(stack, first.seconds)


def _saving(with_: float, without: float) -> float:
    return 1 - without / with_


def run(options: Options) -> None:
    sizes = (30, 100) if options.quick else (300, 1000)
    noop_rounds = options.size(3, 1)
    per_size: dict[str, dict[str, Any]] = {}
    for turn, count in enumerate(sizes):
        order = MODES if turn % 2 == 0 else tuple(reversed(MODES))
        measured = {mode: _first_up(options, count, mode) for mode in order}
        for round_ in range(noop_rounds):  # the no-op `up`s alternate too
            for mode in order if round_ % 2 == 0 else tuple(reversed(order)):
                measured[mode].noop_up(count, mode)
        default, skipped = measured["checkpoints"], measured["skip_checkpoints"]
        noop_default = statistics.median(default.noop_up_s)
        noop_skipped = statistics.median(skipped.noop_up_s)
        per_size[str(count)] = {
            "first_up_s": default.first_up_s,
            "first_up_skip_checkpoints_s": skipped.first_up_s,
            "first_up_saving": _saving(default.first_up_s, skipped.first_up_s),
            "median_noop_up_s": noop_default,
            "median_noop_up_skip_checkpoints_s": noop_skipped,
            "noop_up_saving": _saving(noop_default, noop_skipped),
            "noop_up_s": default.noop_up_s,
            "noop_up_skip_checkpoints_s": skipped.noop_up_s,
            "state_bytes": len(default.stack.export_text().encode()),
            "first_up_first": order[0],
        }
    largest = per_size[str(sizes[-1])]
    emit(
        "large_stack_skip_checkpoints_saving",
        float(largest["first_up_saving"]),
        "share of the first up's wall time",
        GOAL,
        0.0,
        {
            "tenants": sizes[-1],
            "noop_rounds": noop_rounds,
            "sizes": per_size,
            "client_budget": "off (emulator without quota)",
            "baseline": "the same first `pulumi up` with checkpoints (the default) = 0 saved",
        },
        options=options,
    )
