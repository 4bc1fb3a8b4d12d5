"""plugin_peak_rss_mb: peak memory of the plugin process while `pulumi refresh` reads 1000 tenants.

The emulator is seeded directly with 1000 tenants; the real plugin (a new process, default
settings) reads each with the properties a refresh of a managed tenant sends (name, tenant_id,
managed_inputs), 4 at a time. The value is the child's VmHWM (peak resident set) from
/proc/<pid>/status after the reads. Baseline, same process: its VmHWM after start-up and
Configure, before any read (the cost of Python, gRPC, pulumi and the provider's imports).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Final

from pulumi_descope_dynamic.tenant import _PROVIDER

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

NAME: Final = "plugin_peak_rss"
METRICS: Final = ("plugin_peak_rss_mb",)
NEEDS_CLI: Final = False

GOAL: Final = Goal("<=", 150)
TENANT_TYPE: Final = dynamic_type("descope", "Tenant")


def memory_kb(pid: int) -> dict[str, int]:
    """VmHWM (peak RSS) and VmRSS of a process, in kB, from /proc/<pid>/status."""
    found: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            found[key] = int(rest.split()[0])
    return found


def run(options: Options) -> None:
    count = options.size(1000, 200)
    tenant_ids = [f"rss-{index:05d}" for index in range(count)]
    with emulator() as server:
        server.state.load(
            [
                {
                    "id": tenant_id,
                    "name": f"RSS Tenant {tenant_id}",
                    "selfProvisioningDomains": [f"{tenant_id}.example.com"],
                    "customAttributes": {"plan": "gold", "seats": 5},
                }
                for tenant_id in tenant_ids
            ]
        )
        with DynamicPlugin(
            _PROVIDER,
            config=plugin_config(server),
            secret_keys=["descope:managementKey"],
            env=CLEAN_ENV,
        ) as plugin:
            pid = plugin.pid
            assert pid is not None
            idle = memory_kb(pid)
            before = api_total(server)
            note(f"plugin_peak_rss: reading {count} tenants through the plugin, 4 at a time")

            def read(tenant_id: str) -> str | None:
                props = {
                    "name": f"RSS Tenant {tenant_id}",
                    "tenant_id": tenant_id,
                    "managed_inputs": ["name", "tenant_id"],
                }
                return plugin.read(tenant_id, urn_for(TENANT_TYPE, tenant_id), props).id

            with Stopwatch() as watch, ThreadPoolExecutor(ENGINE_CONCURRENCY) as pool:
                ids = list(pool.map(read, tenant_ids))
            after = memory_kb(pid)
            requests = api_total(server) - before
    if ids != tenant_ids:
        raise RuntimeError("the plugin read other tenants than it was asked for")

    emit(
        "plugin_peak_rss_mb",
        after["VmHWM"] / 1024,
        "MB",
        GOAL,
        idle["VmHWM"] / 1024,
        {
            "tenants": count,
            "concurrency": ENGINE_CONCURRENCY,
            "rss_after_reads_mb": after["VmRSS"] / 1024,
            "peak_growth_during_reads_mb": (after["VmHWM"] - idle["VmHWM"]) / 1024,
            "reads_wall_s": watch.seconds,
            "emulator_requests": requests,
            "baseline": "VmHWM of the same plugin after start-up and Configure, before any read",
        },
        options=options,
    )
