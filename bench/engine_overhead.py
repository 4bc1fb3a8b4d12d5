"""engine_overhead_ratio: `pulumi up` of 100 tenants over `pulumi up` of 100 no-op dynamic resources.

Same engine (the real CLI through the Automation API), same run, every stack new and in its own
temporary directory. The no-op provider (bench/noop_provider.py) only returns an id, so the ratio is
what the Tenant provider (validation, client, two emulator requests per create, larger outputs)
adds on top of what any Python dynamic resource costs. An empty stack is brought up first, as a
warm-up of the CLI and the plugin (its state is also the reference of `state_bytes_per_tenant`).
Then a few rounds, alternating which kind goes first; the value is median(tenants) / median(no-op).
"""

from __future__ import annotations

import statistics
from typing import Final

from bench.common import Goal, Options, emit
from bench.engine_stacks import Kind, check_created, up

NAME: Final = "engine_overhead"
METRICS: Final = ("engine_overhead_ratio",)
NEEDS_CLI: Final = True

GOAL: Final = Goal("<=", 1.5)


def run(options: Options) -> None:
    count = options.size(100, 20)
    rounds = options.size(3, 1)
    empty = up(options, "empty", 0)
    tenant_seconds: list[float] = []
    noop_seconds: list[float] = []
    for round_ in range(rounds):
        order: tuple[Kind, Kind] = ("noop", "tenants") if round_ % 2 == 0 else ("tenants", "noop")
        for kind in order:
            result = up(options, kind, count, round_)
            check_created(result)
            (tenant_seconds if kind == "tenants" else noop_seconds).append(result.up_seconds)
    tenants_s = statistics.median(tenant_seconds)
    noop_s = statistics.median(noop_seconds)
    emit(
        "engine_overhead_ratio",
        tenants_s / noop_s,
        "ratio",
        GOAL,
        1.0,
        {
            "resources": count,
            "rounds": rounds,
            "median_tenants_up_s": tenants_s,
            "median_noop_up_s": noop_s,
            "tenants_up_s": tenant_seconds,
            "noop_up_s": noop_seconds,
            "empty_up_s": empty.up_seconds,
            "tenants_per_resource_ms": (tenants_s - empty.up_seconds) / count * 1000,
            "noop_per_resource_ms": (noop_s - empty.up_seconds) / count * 1000,
            "client_budget": "off (emulator without quota)",
            "pulumi_cli": up(options, "tenants", count).stack.stack.workspace.pulumi_version,
            "baseline": "no-op dynamic resources on the same engine = 1.0",
        },
        options=options,
    )
