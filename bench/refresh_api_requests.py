"""refresh_api_requests: Descope requests spent by `pulumi refresh` reading 300 tenants.

The tenants are created through the real plugin (Check + Create, as `pulumi up` does), so each Read
gets exactly the outputs a create returned. Then a new plugin process, with the provider's default
settings (as a new `pulumi refresh` command starts one), reads them all, 4 at a time like the
engine. The value is how many requests the emulator saw during the reads. Baseline, in the same run:
one DescopeClient.load_tenant per tenant, 4 at a time, counted the same way.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

from descope_emulator import EmulatorServer
from pulumi_descope_dynamic.tenant import _PROVIDER
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.settings import ClientSettings

from bench.common import (
    CLEAN_ENV,
    ENGINE_CONCURRENCY,
    Goal,
    Options,
    Stopwatch,
    api_total,
    emit,
    emulator,
    note,
    plugin_config,
    route_counts,
    route_growth,
)
from tests.support import DynamicPlugin, dynamic_type, urn_for

NAME: Final = "refresh_api_requests"
METRICS: Final = ("refresh_api_requests",)
NEEDS_CLI: Final = False

GOAL: Final = Goal("<=", 3)
TENANT_TYPE: Final = dynamic_type("descope", "Tenant")
SECRET_KEYS: Final = ("descope:managementKey",)


def created_states(server: EmulatorServer, count: int, prefix: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(id, urn, outputs) of `count` tenants created through the plugin, 4 at a time. The creating
    plugin runs without a client budget: the emulator has no quota, and pacing is not measured here."""
    with DynamicPlugin(
        _PROVIDER,
        config=plugin_config(server, rate_limit="off"),
        secret_keys=SECRET_KEYS,
        env=CLEAN_ENV,
    ) as plugin:

        def create(index: int) -> tuple[str, str, dict[str, Any]]:
            urn = urn_for(TENANT_TYPE, f"{prefix}-{index:04d}")
            news = {"name": f"Bench {prefix} {index:04d}", "tenant_id": f"{prefix}-{index:04d}"}
            inputs, failures = plugin.check(urn, {}, news)
            if failures:
                raise RuntimeError(f"check failed: {failures}")
            created = plugin.create(urn, inputs)
            return created.id, urn, created.properties

        with ThreadPoolExecutor(ENGINE_CONCURRENCY) as pool:
            return list(pool.map(create, range(count)))


def run(options: Options) -> None:
    count = options.size(300, 60)
    with emulator() as server:
        note(f"refresh_api_requests: creating {count} tenants through the plugin")
        states = created_states(server, count, "refresh")

        note("refresh_api_requests: reading them through a new plugin process, 4 at a time")
        with DynamicPlugin(
            _PROVIDER, config=plugin_config(server), secret_keys=SECRET_KEYS, env=CLEAN_ENV
        ) as plugin:
            before, routes_before = api_total(server), route_counts(server)
            with Stopwatch() as plugin_watch, ThreadPoolExecutor(ENGINE_CONCURRENCY) as pool:
                reads = list(pool.map(lambda state: plugin.read(state[0], state[1], state[2]), states))
            plugin_requests = api_total(server) - before
            plugin_routes = route_growth(routes_before, route_counts(server))
        wrong = sum(1 for read, state in zip(reads, states, strict=True) if read.id != state[0])
        drifted = sum(
            1
            for read, state in zip(reads, states, strict=True)
            if read.properties.get("name") != state[2].get("name")
        )

        note("refresh_api_requests: baseline, one DescopeClient.load_tenant per tenant")
        client = DescopeClient(
            ClientSettings(
                project_id=server.project_id,
                management_key=server.management_key,
                base_url=server.url,
                rate_limit=None,  # pacing is not what is counted; the default budget would only slow it
            )
        )
        before = api_total(server)
        with Stopwatch() as client_watch, ThreadPoolExecutor(ENGINE_CONCURRENCY) as pool:
            loaded = list(pool.map(lambda state: client.load_tenant(state[0]), states))
        baseline_requests = api_total(server) - before
        client.close()
        if [tenant.id for tenant in loaded] != [state[0] for state in states]:
            raise RuntimeError("the baseline loaded other tenants than it asked for")

    emit(
        "refresh_api_requests",
        plugin_requests,
        "requests",
        GOAL,
        baseline_requests,
        {
            "tenants": count,
            "concurrency": ENGINE_CONCURRENCY,
            "requests_by_route": plugin_routes,
            "reads_with_wrong_id": wrong,
            "reads_with_drift": drifted,
            "plugin_reads_wall_s": plugin_watch.seconds,
            "baseline_loads_wall_s": client_watch.seconds,
            "baseline": "one DescopeClient.load_tenant per tenant, measured in the same run",
        },
        options=options,
    )
