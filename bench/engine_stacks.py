"""Stacks on the real Pulumi engine (tests.support.engine), shared by the engine benchmarks of one run:
`engine_overhead_ratio` times their `pulumi up`, `state_bytes_per_tenant` exports them.

Each stack has its own temporary directory (file backend, PULUMI_HOME, work dir). The Tenant stacks
run without a client budget (`descope:rateLimit off`): the emulator has no quota, and the provider's
default budget (100 requests / 60 s) would otherwise turn 200 requests into a minute of waiting,
which is pacing by design, not engine or provider overhead.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import pulumi_descope_dynamic as descope
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic._resource import properties
from pulumi_descope_dynamic_provider.tenant import TENANT

from bench.common import REPO_ROOT, Options, Stopwatch, note
from bench.noop_provider import Noop, ShapedNoop
from tests.support.engine import EngineStack, new_stack

Kind = Literal["empty", "noop", "shaped", "tenants"]
RATE_LIMIT: Final = "off"


@dataclass
class UpRun:
    kind: Kind
    resources: int
    stack: EngineStack
    up_seconds: float
    change_summary: dict[str, int]


def _program(kind: Kind, count: int, tag: str) -> Callable[[], None]:
    def program() -> None:
        for index in range(count):
            if kind == "tenants":
                tenant_id = f"eng{tag}-{index:04d}"
                descope.Tenant(f"t{index:04d}", name=f"Engine Tenant {tenant_id}", tenant_id=tenant_id)
            elif kind == "noop":
                Noop(f"n{index:04d}")
            elif kind == "shaped":
                tenant_id = f"shp{tag}-{index:04d}"
                # The property bag the sdk's Tenant passes: every property, None when not given.
                given = {"name": f"Shaped {tenant_id}", "tenant_id": tenant_id}
                ShapedNoop(f"s{index:04d}", properties(TENANT, None) | given)

    return program


def shared_emulator(options: Options) -> EmulatorServer:
    """One emulator (no quota) for every engine stack of the run; stopped at the end of the run."""
    server = options.cache.get("engine-emulator")
    if not isinstance(server, EmulatorServer):
        server = EmulatorServer("127.0.0.1", 0).start()
        options.cache["engine-emulator"] = server
        options.cleanups.append(server.stop)
    return server


def _temp_root(options: Options, label: str) -> Path:
    root = Path(tempfile.mkdtemp(prefix=f"bench-engine-{label}-"))
    options.cleanups.append(lambda: shutil.rmtree(root, ignore_errors=True))
    return root


def up(options: Options, kind: Kind, count: int, round_: int = 0) -> UpRun:
    """`pulumi up` of a new stack of `count` resources of `kind`, once per run and round (cached);
    only the `up` itself is timed, not creating the stack and setting its config."""
    key = f"engine-up-{kind}-{count}-{round_}"
    cached = options.cache.get(key)
    if isinstance(cached, UpRun):
        return cached
    server = shared_emulator(options)
    stack = new_stack(
        _program(kind, count, str(round_)),
        _temp_root(options, f"{kind}{round_}"),
        base_url=server.url,
        project_id=server.project_id,
        management_key=server.management_key,
        stack_name="bench",
        project_name=f"bench-{kind}",
        extra_config={"descope:rateLimit": RATE_LIMIT},
        # The plugin process must import bench.noop_provider (the Tenant provider is installed).
        env={"PYTHONPATH": str(REPO_ROOT)},
    )
    note(f"engine: pulumi up of {count} {kind} resources (round {round_})")
    with Stopwatch() as watch:
        result = stack.up()
    summary = {str(op): int(n) for op, n in (result.summary.resource_changes or {}).items()}
    run = UpRun(kind, count, stack, watch.seconds, summary)
    options.cache[key] = run
    return run


def check_created(run: UpRun) -> None:
    """The up must have created every resource (plus the stack itself), or the timing means nothing."""
    created = run.change_summary.get("create", 0)
    expected = run.resources + 1  # the root Stack resource
    if created != expected:
        raise RuntimeError(f"pulumi up of {run.kind} created {created} resources, expected {expected}")
