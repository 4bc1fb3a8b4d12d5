"""share_respected: with `descope:rateLimitShare` 50, the client takes half of Descope's quota and
leaves the other half (to the product's own management calls).

120 tenant creates from 4 threads (as the plugin runs them), one DescopeClient with the client
budget equal to the emulator's quota (40 per 4 s, Descope's 100/60 scaled as quota_throughput does)
and a share of 50%: the client budget is 20 per 4 s. The value is the admitted rate over the quota's where it
matters, at the busiest moment: the most requests the emulator admitted within any one 4 s window
(what its sliding window held at its fullest) over the 40 it allows. 0.50 is exactly half, and more
than 0.50 means the product's reserve was taken. `over_the_run_ratio` in the params is the average
instead: admitted / what the quota admits from the first request to one window after the last
(lower: the bucket refills in bursts a window apart, and the last burst's window is mostly unused).
The baseline is the same batch with the share at 100% (the whole quota). The rate report prints
both figures.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

from descope_emulator import Quota
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.ratelimit import SharedRateLimiter
from pulumi_descope_dynamic_provider.api.report import RateReport
from pulumi_descope_dynamic_provider.api.settings import ClientSettings, RateBudget
from pulumi_descope_dynamic_provider.api.tenants import TenantRequest

from bench.common import ENGINE_CONCURRENCY, Options, emit, emulator, note

NAME: Final = "share_respected"
METRICS: Final = ("share_respected",)
NEEDS_CLI: Final = False

QUOTA: Final = Quota(40, 4)
SHARE: Final = 50.0
GOAL_LOW: Final = 0.45
GOAL_HIGH: Final = 0.50


def _measure(share: float, creates: int) -> dict[str, Any]:
    budget = RateBudget(QUOTA.requests, QUOTA.seconds)
    errors: list[str] = []
    lock = threading.Lock()
    report = RateReport()
    with emulator(QUOTA) as server:
        settings = ClientSettings(
            project_id=server.project_id,
            management_key=server.management_key,
            base_url=server.url,
            rate_limit=budget,
            rate_limit_share=share,
        )
        limiter = SharedRateLimiter(budget, share=share, project=server.project_id, report=report)
        client = DescopeClient(settings, rate_limiter=limiter)

        def one(index: int) -> None:
            try:
                client.create_tenant(TenantRequest(name=f"bench-share-{share:g}-{index:04d}"))
            except Exception as exc:  # a failure is a result here, not a crash of the benchmark
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:300])

        started = time.perf_counter()
        with ThreadPoolExecutor(ENGINE_CONCURRENCY) as pool:
            list(pool.map(one, range(creates)))
        wall = time.perf_counter() - started
        stats = server.stats()
        times = sorted(entry["time"] for entry in server.requests() if entry["status"] != 429)
        client.close()
    admitted = int(stats["total"]) - int(stats["rate_limited"])
    span = times[-1] - times[0] if times else 0.0
    peak = 0
    start = 0
    for end, at in enumerate(times):  # the most admissions within any one quota window
        while times[start] <= at - QUOTA.seconds:
            start += 1
        peak = max(peak, end - start + 1)
    return {
        "ratio": peak / QUOTA.requests,
        "over_the_run_ratio": admitted / (QUOTA.requests * (span / QUOTA.seconds + 1)),
        "share": share,
        "creates": creates,
        "admitted": admitted,
        "rate_limited_429": int(stats["rate_limited"]),
        "failures": len(errors),
        "span_s": span,
        "wall_s": wall,
        "report_line": report.line(),
        "errors": errors[:3],
    }


def run(options: Options) -> None:
    creates = options.size(120, 60)
    note(f"share_respected: {creates} creates, quota 40/4, share 100% (baseline)")
    whole = _measure(100.0, creates)
    note(f"share_respected: {creates} creates, quota 40/4, share {SHARE:g}%")
    half = _measure(SHARE, creates)
    value = half["ratio"]
    emit(
        "share_respected",
        value,
        "ratio",
        f"{GOAL_LOW} to {GOAL_HIGH} (admitted rate / the quota's, at a {SHARE:g}% share) with 0 failures "
        "and 0 429s",
        whole["ratio"],
        {"workers": ENGINE_CONCURRENCY, "quota": "40/4", **half, "baseline": whole},
        goal_met=GOAL_LOW <= value <= GOAL_HIGH and half["failures"] == 0 and half["rate_limited_429"] == 0,
        options=options,
    )
