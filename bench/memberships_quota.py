"""memberships_quota: 300 TenantMemberships (30 existing users in 10 tenants, Tenant Admin each)
applied through the real plugin (Check + Create, 4 at a time like the engine) against an emulator that
enforces the management quota and its per-project user-API limits (quota.PROJECT_PATH_LIMITS).

Time is compressed tenfold so the run takes about a minute instead of ten: the emulator's quota is
100 per 6 s (user create 100/6, user update and search 200/6, as factors of it) and the client's
budget the same (descope:rateLimit 100/6), the shapes of Descope's 100/60 and 200/60. The value is
how many memberships failed (goal: 0); the params hold the requests per membership, the 429s the
emulator answered and the wall time. Baseline: none (no other tool manages memberships).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Final

from descope_emulator import Quota
from pulumi_descope_dynamic.tenant_membership import _PROVIDER

from bench.common import (
    ENGINE_CONCURRENCY,
    Goal,
    Options,
    Stopwatch,
    emit,
    emulator,
    note,
    plugin_config,
    route_counts,
    route_growth,
)
from tests.harness import CLEAN_ENV, DynamicPlugin, PluginError, dynamic_type, urn_for

NAME: Final = "memberships_quota"
METRICS: Final = ("memberships_quota_failures",)
NEEDS_CLI: Final = False
GOAL: Final = Goal("<=", 0)
LICENSE_ROUTE: Final = "GET /v1/mgmt/license"


def run(options: Options) -> None:
    tenants, users = options.size(10, 3), 30 if not options.quick else 10
    with emulator(quota=Quota(100, 6)) as server:
        store = server.state
        for t in range(tenants):
            store.create_tenant({"id": f"t{t:02d}", "name": f"Tenant {t:02d}"})
        for u in range(users):
            store.users.create({"loginId": f"user{u:02d}@corp.example"})
        note(f"memberships_quota: {tenants * users} memberships through the plugin, quota 100/6")
        before = route_counts(server)
        failures: list[str] = []
        with (
            DynamicPlugin(
                _PROVIDER,
                config=plugin_config(server, rate_limit="100/6"),
                secret_keys=("descope:managementKey",),
                env=CLEAN_ENV,
            ) as plugin,
            Stopwatch() as watch,
        ):

            def apply(pair: tuple[int, int]) -> None:
                t, u = pair
                urn = urn_for(dynamic_type("descope", "TenantMembership"), f"m{t:02d}-{u:02d}")
                news = {
                    "tenant_id": f"t{t:02d}",
                    "login_id": f"user{u:02d}@corp.example",
                    "roles": ["Tenant Admin"],
                }
                try:
                    inputs, problems = plugin.check(urn, {}, news)
                    if problems:
                        raise RuntimeError(str(problems))
                    plugin.create(urn, inputs)
                except (PluginError, RuntimeError) as exc:
                    failures.append(f"{urn}: {exc}")

            with ThreadPoolExecutor(ENGINE_CONCURRENCY) as pool:
                list(pool.map(apply, [(t, u) for t in range(tenants) for u in range(users)]))
        grown = route_growth(before, route_counts(server))
        handshakes = grown.pop(LICENSE_ROUTE, 0)
        stats = server.stats()
        wrong = sum(
            1
            for u in range(users)
            for user in [store.get_user(f"user{u:02d}@corp.example")]
            if user is None or len(user["userTenants"]) != tenants
        )
    count = tenants * users
    emit(
        "memberships_quota_failures",
        len(failures) + wrong,
        "memberships",
        GOAL,
        None,
        {
            "memberships": count,
            "requests": sum(grown.values()),
            "requests_per_membership": sum(grown.values()) / count,
            "requests_by_route": grown,
            "license_handshakes_apart": handshakes,
            "rate_limited_429s": stats["rate_limited"],
            "wall_s": watch.seconds,
            "quota": "100/6 per IP; user create 100/6, update and search 200/6 per project",
            "first_failures": failures[:3],
        },
        options=options,
    )
