"""provider_overhead_ms: what one Create costs through the real plugin over gRPC, beyond the client.

Three ways of creating a tenant on the same emulator, interleaved (a random order within each
round, so drift of the machine hits all three alike), `n` times each after a warm-up:

* `plugin`       - the `Create` RPC to the real `python -m pulumi.dynamic` plugin (unpickling, the
                   provider's create, which also reads the tenant back: create + one GET);
* `client`       - DescopeClient.create_tenant in this process (one POST);
* `client+load`  - DescopeClient.create_tenant then load_tenant (the same two requests the plugin
                   sends), so `plugin - client+load` is the pure plugin/gRPC cost.

Value: median(plugin) - median(client), as the issue asks. Both sides run without a client budget
(the emulator has no quota), so no token bucket wait is part of either.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Final

from pulumi_descope_dynamic.tenant import _PROVIDER
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.ratelimit import UnlimitedRateLimiter
from pulumi_descope_dynamic_provider.api.settings import ClientSettings
from pulumi_descope_dynamic_provider.api.tenants import TenantRequest

from bench.common import (
    Goal,
    Options,
    emit,
    emulator,
    median_ms,
    note,
    percentile_ms,
    plugin_config,
)
from tests.harness import CLEAN_ENV, DynamicPlugin, dynamic_type, urn_for

NAME: Final = "provider_overhead"
METRICS: Final = ("provider_overhead_ms",)
NEEDS_CLI: Final = False

GOAL: Final = Goal("<=", 5)
WARMUP: Final = 5
TENANT_TYPE: Final = dynamic_type("descope", "Tenant")


def run(options: Options) -> None:
    rounds = options.size(100, 20)
    rng = random.Random(6)
    samples: dict[str, list[int]] = {"plugin": [], "client": [], "client+load": []}
    with (
        emulator() as server,
        DynamicPlugin(
            _PROVIDER,
            config=plugin_config(server, rate_limit="off"),
            secret_keys=["descope:managementKey"],
            env=CLEAN_ENV,
        ) as plugin,
    ):
        settings = ClientSettings(
            project_id=server.project_id,
            management_key=server.management_key,
            base_url=server.url,
            rate_limit=None,
        )
        client = DescopeClient(settings, rate_limiter=UnlimitedRateLimiter())
        counter = 0

        def next_tenant(kind: str) -> tuple[str, str]:
            nonlocal counter
            counter += 1
            tenant_id = f"ovh-{kind.replace('+', '-')}-{counter:05d}"
            return tenant_id, f"Overhead {tenant_id}"

        def via_plugin() -> Callable[[], None]:
            tenant_id, name = next_tenant("plugin")
            urn = urn_for(TENANT_TYPE, tenant_id)
            # Check is the engine's step before Create; untimed, it only normalises the inputs.
            inputs, failures = plugin.check(urn, {}, {"name": name, "tenant_id": tenant_id})
            if failures:
                raise RuntimeError(f"check failed: {failures}")
            return lambda: _expect(plugin.create(urn, inputs).id, tenant_id)

        def via_client() -> Callable[[], None]:
            tenant_id, name = next_tenant("client")
            return lambda: _expect(client.create_tenant(TenantRequest(id=tenant_id, name=name)), tenant_id)

        def via_client_and_load() -> Callable[[], None]:
            tenant_id, name = next_tenant("client+load")

            def create_and_load() -> None:
                _expect(client.create_tenant(TenantRequest(id=tenant_id, name=name)), tenant_id)
                client.load_tenant(tenant_id)

            return create_and_load

        prepare = {"plugin": via_plugin, "client": via_client, "client+load": via_client_and_load}
        note(f"provider_overhead: {WARMUP} warm-up + {rounds} interleaved rounds of 3 creates")
        for round_index in range(WARMUP + rounds):
            order = list(prepare)
            rng.shuffle(order)
            for kind in order:
                action = prepare[kind]()
                started = time.perf_counter_ns()
                action()
                elapsed = time.perf_counter_ns() - started
                if round_index >= WARMUP:
                    samples[kind].append(elapsed)
        client.close()
        tenants = server.state.tenant_count()

    plugin_ms = median_ms(samples["plugin"])
    client_ms = median_ms(samples["client"])
    both_ms = median_ms(samples["client+load"])
    paired = [p - c for p, c in zip(samples["plugin"], samples["client"], strict=True)]
    emit(
        "provider_overhead_ms",
        plugin_ms - client_ms,
        "ms",
        GOAL,
        client_ms,
        {
            "creates_each": rounds,
            "warmup_each": WARMUP,
            "median_plugin_create_ms": plugin_ms,
            "median_client_create_ms": client_ms,
            "median_client_create_load_ms": both_ms,
            "pure_plugin_grpc_overhead_ms": plugin_ms - both_ms,
            "median_paired_difference_ms": statistics.median(paired) / 1e6,
            "p90_plugin_create_ms": percentile_ms(samples["plugin"], 0.9),
            "p90_client_create_ms": percentile_ms(samples["client"], 0.9),
            "p90_client_create_load_ms": percentile_ms(samples["client+load"], 0.9),
            "tenants_in_emulator": tenants,
            "baseline": "median DescopeClient.create_tenant (ms), same emulator, same run",
        },
        options=options,
    )


def _expect(got: str, wanted: str) -> None:
    if got != wanted:
        raise RuntimeError(f"created {got!r}, expected {wanted!r}")
