"""Requests per change, at the quota's physical limit.

- first_up_requests_per_tenant: requests Descope sees for a first `up` of 300 tenants, through the
  real plugin (Check + Create, 4 at a time like the engine), divided by the tenants.
- first_up_quota_efficiency: (requests / quota rate) / wall time of that first `up`: 1.0 means the
  run took exactly as long as its requests need at the quota's rate.
- update_requests_per_change: requests for renaming every one of those tenants, per rename.

Descope's 100 requests / 60 s is scaled down in time to 100 / 6 s (emulator quota and the plugin's
client budget alike), as the other quota benchmarks do. Baselines, measured in the same run: the
0.1 release's request pattern replayed with the client (create + read back; read + full replace),
under the same quota.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

from descope_emulator import EmulatorServer, Quota
from pulumi_descope_dynamic.tenant import _PROVIDER
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.settings import ClientSettings, RateBudget
from pulumi_descope_dynamic_provider.api.tenants import TENANT_UPDATE_FULL, TenantRequest

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
)
from tests.harness import CLEAN_ENV, DynamicPlugin, dynamic_type, urn_for

NAME: Final = "request_cost"
METRICS: Final = ("first_up_requests_per_tenant", "first_up_quota_efficiency", "update_requests_per_change")
NEEDS_CLI: Final = False

QUOTA: Final = Quota(100, 6)
RATE_PER_SECOND: Final = QUOTA.requests / QUOTA.seconds
TENANT_TYPE: Final = dynamic_type("descope", "Tenant")


def _plugin_run(server: EmulatorServer, count: int) -> dict[str, Any]:
    with DynamicPlugin(
        _PROVIDER,
        config=plugin_config(server, rate_limit=f"{QUOTA.requests}/{QUOTA.seconds:g}"),
        secret_keys=("descope:managementKey",),
        env=CLEAN_ENV,
    ) as plugin:

        def create(index: int) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
            urn = urn_for(TENANT_TYPE, f"t-{index:04d}")
            news = {"name": f"Tenant {index:04d}", "tenant_id": f"t-{index:04d}"}
            inputs, failures = plugin.check(urn, {}, news)
            if failures:
                raise RuntimeError(f"check failed: {failures}")
            created = plugin.create(urn, inputs)
            return created.id, urn, created.properties, news

        before = api_total(server)
        with Stopwatch() as create_watch, ThreadPoolExecutor(ENGINE_CONCURRENCY) as pool:
            states = list(pool.map(create, range(count)))
        create_requests = api_total(server) - before

        def rename(state: tuple[str, str, dict[str, Any], dict[str, Any]]) -> None:
            id_, urn, outs, news = state
            renamed = {**news, "name": news["name"] + " renamed"}
            inputs, _ = plugin.check(urn, news, renamed)
            plugin.update(id_, urn, outs, inputs)

        before = api_total(server)
        with ThreadPoolExecutor(ENGINE_CONCURRENCY) as pool:
            list(pool.map(rename, states))
        update_requests = api_total(server) - before
    return {
        "create_requests": create_requests,
        "create_wall_s": create_watch.seconds,
        "update_requests": update_requests,
        "rate_limited": server.stats()["rate_limited"],
    }


def _baseline_run(server: EmulatorServer, count: int) -> dict[str, Any]:
    """The 0.1 release's pattern: create then read back; read then replace the whole tenant."""
    client = DescopeClient(
        ClientSettings(
            project_id=server.project_id,
            management_key=server.management_key,
            base_url=server.url,
            rate_limit=RateBudget(QUOTA.requests, QUOTA.seconds),
        )
    )

    def create(index: int) -> None:
        tenant_id = client.create_tenant(TenantRequest(id=f"b-{index:04d}", name=f"Baseline {index:04d}"))
        client.load_tenant(tenant_id)

    def rename(index: int) -> None:
        live = client.load_tenant(f"b-{index:04d}")
        fields = {**live.model_dump(include=set(TenantRequest.model_fields)), **(live.model_extra or {})}
        body = {**TenantRequest.model_validate(fields).to_wire(), "name": live.name + " renamed"}
        client._call("baseline full replace", "POST", TENANT_UPDATE_FULL, body=body)

    try:
        before = api_total(server)
        with Stopwatch() as watch, ThreadPoolExecutor(ENGINE_CONCURRENCY) as pool:
            list(pool.map(create, range(count)))
        create_requests = api_total(server) - before
        before = api_total(server)
        with ThreadPoolExecutor(ENGINE_CONCURRENCY) as pool:
            list(pool.map(rename, range(count)))
        return {
            "create_requests": create_requests,
            "create_wall_s": watch.seconds,
            "update_requests": api_total(server) - before,
        }
    finally:
        client.close()


def run(options: Options) -> None:
    count = options.size(300, 60)
    with emulator(QUOTA) as server:
        note(f"request_cost: first up of {count} tenants and a rename of each, through the plugin")
        measured = _plugin_run(server, count)
    time.sleep(QUOTA.seconds)  # a fresh emulator, but let the machine settle between the runs
    with emulator(QUOTA) as server:
        note(f"request_cost: baseline (0.1 request pattern) for {count} tenants")
        baseline = _baseline_run(server, count)

    def efficiency(run: dict[str, Any]) -> float:
        return float(run["create_requests"] / RATE_PER_SECOND / run["create_wall_s"])

    params = {
        "tenants": count,
        "quota": f"{QUOTA.requests}/{QUOTA.seconds:g}s",
        "plugin": measured,
        "baseline_run": baseline,
    }
    emit(
        "first_up_requests_per_tenant",
        measured["create_requests"] / count,
        "requests/tenant",
        Goal("<=", 1.05),
        baseline["create_requests"] / count,
        params,
        options=options,
    )
    emit(
        "first_up_quota_efficiency",
        efficiency(measured),
        "ratio",
        Goal(">=", 0.9),
        efficiency(baseline),
        params,
        options=options,
    )
    emit(
        "update_requests_per_change",
        measured["update_requests"] / count,
        "requests/change",
        Goal("<=", 1.0),
        baseline["update_requests"] / count,
        params,
        options=options,
    )
