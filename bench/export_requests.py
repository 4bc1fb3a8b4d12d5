"""export_requests: Descope requests and wall time of `pulumi-descope export` of a project with 200
tenants (parents, domains, custom attributes, default roles), 11 roles and 4 permissions, at the
default client budget (100 requests / 60 s), run as a user runs it (the console script, a new process).

The export lists each type once; the types Descope reads per tenant only (SSO configurations, tenant
settings) cost one request per tenant each, so the goal is one list per listed type plus one per
tenant per per-tenant type, and the wall time is mostly the budget's wait (`requests_by_route` splits
the count; the process's one license handshake is counted apart, in `license_handshakes_apart`).
Baseline, in the same run: what reading the same tenants one by one would cost (one load
per tenant), counted the same way.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Final

from pulumi_descope_dynamic.cli.kinds import KINDS

from bench.common import Goal, Options, Stopwatch, api_total, emit, emulator, note, route_counts
from tests.harness import CLEAN_ENV
from tests.support.live_project import project_seed, write_requests

NAME: Final = "export_requests"
METRICS: Final = ("export_requests",)
NEEDS_CLI: Final = False

# The kinds read with one list each (not per tenant, not by id, not found through the tenant list).
LISTED: Final = [
    kind.key
    for kind in KINDS
    if kind.per_tenant is None and kind.by_ids is None and kind.from_tenants is None
]
PER_TENANT: Final = [kind.key for kind in KINDS if kind.per_tenant is not None]


def goal(seed: dict[str, Any]) -> Goal:
    # + 1: the project's password policy, read once to leave out the tenants that follow it. Tenant
    # attributes (Descope lists none): one load per key the tenants use, found in the one tenant list.
    keys = {key for tenant in seed["tenants"] for key in tenant.get("customAttributes") or {}}
    return Goal("<=", len(LISTED) + len(keys) + len(PER_TENANT) * len(seed["tenants"]) + 1)


def run(options: Options) -> None:
    tenants = options.size(200, 50)
    seed = project_seed(tenants)
    with emulator() as server, tempfile.TemporaryDirectory() as out:
        server.state.load(seed)
        env = {
            **os.environ,
            **CLEAN_ENV,  # the default budget: no DESCOPE_RATE_LIMIT
            "DESCOPE_PROJECT_ID": server.project_id,
            "DESCOPE_MANAGEMENT_KEY": server.management_key,
            "DESCOPE_BASE_URL": server.url,
        }
        cli = str(Path(sys.executable).parent / "pulumi-descope")
        note(f"export_requests: exporting {tenants} tenants with {cli}")
        with Stopwatch() as watch:
            done = subprocess.run(
                [cli, "export", "--out", out, "--quiet"], env=env, capture_output=True, text=True, check=False
            )
        if done.returncode != 0:
            raise RuntimeError(f"pulumi-descope export failed: {done.stderr}")
        routes = route_counts(server)
        # The license handshake is once per process, whatever it exports: counted apart.
        handshakes = routes.pop("GET /v1/mgmt/license", 0)
        requests = api_total(server) - handshakes
        writes = write_requests(server.stats())
        lines = (Path(out) / "__main__.py").read_text(encoding="utf-8").count("\n")
    emit(
        NAME,
        requests,
        "requests",
        goal(seed),
        tenants,
        {
            "tenants": tenants,
            "roles": len(seed["roles"]),
            "permissions": len(seed["permissions"]),
            "wall_seconds": watch.seconds,
            "write_requests": sum(writes.values()),
            "requests_by_route": routes,
            "license_handshakes_apart": handshakes,
            "per_tenant_kinds": PER_TENANT,
            "program_lines": lines,
            "rate_limit": "100/60 (default)",
        },
        goal_met=goal(seed).met(requests) and not writes,
        options=options,
    )
