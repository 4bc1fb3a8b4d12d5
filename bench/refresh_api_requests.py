"""refresh_api_requests: Descope requests spent by `pulumi refresh` reading a stack of 300 tenants,
50 roles and 30 permissions.

The objects are created through the real plugin (Check + Create, as `pulumi up` does), so each Read
gets exactly the outputs a create returned. Then new plugin processes, with the provider's default
settings (as a new `pulumi refresh` command starts one), read them all, 4 at a time like the engine
(one process per type here; the engine's single plugin process shares one client across types, which
can only lower the count). The value is how many requests the emulator saw during the reads, apart
from each process's license handshake (once per plugin process whatever it reads: in the params).
Baseline, in the same run: one DescopeClient.load_tenant per tenant, 4 at a time, counted the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

from descope_emulator import EmulatorServer
from pulumi.dynamic import ResourceProvider
from pulumi_descope_dynamic.permission import _PROVIDER as PERMISSION_PROVIDER
from pulumi_descope_dynamic.role import _PROVIDER as ROLE_PROVIDER
from pulumi_descope_dynamic.tenant import _PROVIDER
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.settings import ClientSettings

from bench.common import (
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
from tests.harness import CLEAN_ENV, DynamicPlugin, dynamic_type, urn_for

LICENSE_ROUTE: Final = "GET /v1/mgmt/license"
NAME: Final = "refresh_api_requests"
METRICS: Final = ("refresh_api_requests",)
NEEDS_CLI: Final = False

GOAL: Final = Goal("<=", 3)
SECRET_KEYS: Final = ("descope:managementKey",)
State = tuple[str, str, dict[str, Any]]


def _tenant(prefix: str, index: int) -> dict[str, Any]:
    return {"name": f"Bench {prefix} {index:04d}", "tenant_id": f"{prefix}-{index:04d}"}


def _permission(prefix: str, index: int) -> dict[str, Any]:
    return {"name": f"{prefix}.perm.{index:04d}", "description": "bench"}


def _role(prefix: str, index: int) -> dict[str, Any]:
    # Every other role is scoped to one of the tenants; each grants two of the permissions.
    scope = {"tenant_id": f"{prefix}-{index:04d}"} if index % 2 else {}
    return {"name": f"Role {index:04d}", "permission_names": [f"{prefix}.perm.{index % 30:04d}"], **scope}


KINDS: Final[dict[str, tuple[ResourceProvider, Callable[[str, int], dict[str, Any]]]]] = {
    "Tenant": (_PROVIDER, _tenant),
    "Permission": (PERMISSION_PROVIDER, _permission),
    "Role": (ROLE_PROVIDER, _role),
}


def created_states(server: EmulatorServer, kind: str, count: int, prefix: str) -> list[State]:
    """(id, urn, outputs) of `count` objects created through the plugin, 4 at a time. The creating
    plugin runs without a client budget: the emulator has no quota, and pacing is not measured here."""
    provider, declare = KINDS[kind]
    with DynamicPlugin(
        provider,
        config=plugin_config(server, rate_limit="off"),
        secret_keys=SECRET_KEYS,
        env=CLEAN_ENV,
    ) as plugin:

        def create(index: int) -> State:
            urn = urn_for(dynamic_type("descope", kind), f"{prefix}-{index:04d}")
            news = declare(prefix, index)
            inputs, failures = plugin.check(urn, {}, news)
            if failures:
                raise RuntimeError(f"check failed: {failures}")
            created = plugin.create(urn, inputs)
            return created.id, urn, created.properties

        with ThreadPoolExecutor(ENGINE_CONCURRENCY) as pool:
            return list(pool.map(create, range(count)))


def run(options: Options) -> None:
    counts = {"Tenant": options.size(300, 60), "Permission": 30, "Role": options.size(50, 20)}
    count = counts["Tenant"]
    with emulator() as server:
        created: dict[str, list[State]] = {}
        for kind, number in counts.items():
            note(f"refresh_api_requests: creating {number} {kind} objects through the plugin")
            created[kind] = created_states(server, kind, number, "refresh")
        states = created["Tenant"]

        note("refresh_api_requests: reading them all through new plugin processes, 4 at a time")
        plugin_requests = 0
        plugin_routes: dict[str, int] = {}
        handshakes = 0
        wrong = drifted = 0
        with Stopwatch() as plugin_watch:
            for kind, kind_states in created.items():
                with DynamicPlugin(
                    KINDS[kind][0], config=plugin_config(server), secret_keys=SECRET_KEYS, env=CLEAN_ENV
                ) as plugin:
                    routes_before = route_counts(server)
                    with ThreadPoolExecutor(ENGINE_CONCURRENCY) as pool:
                        reads = list(
                            pool.map(
                                lambda state, p=plugin: p.read(state[0], state[1], state[2]), kind_states
                            )
                        )
                    grown = route_growth(routes_before, route_counts(server))
                    # The license handshake is once per plugin process, not a read: counted apart.
                    handshakes += grown.pop(LICENSE_ROUTE, 0)
                    plugin_requests += sum(grown.values())
                    plugin_routes.update(grown)
                wrong += sum(1 for read, state in zip(reads, kind_states, strict=True) if read.id != state[0])
                drifted += sum(
                    1
                    for read, state in zip(reads, kind_states, strict=True)
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
            "roles": counts["Role"],
            "permissions": counts["Permission"],
            "concurrency": ENGINE_CONCURRENCY,
            "requests_by_route": plugin_routes,
            "license_handshakes_apart": handshakes,
            "reads_with_wrong_id": wrong,
            "reads_with_drift": drifted,
            "plugin_reads_wall_s": plugin_watch.seconds,
            "baseline_loads_wall_s": client_watch.seconds,
            "baseline": "one DescopeClient.load_tenant per tenant, measured in the same run",
        },
        options=options,
    )
