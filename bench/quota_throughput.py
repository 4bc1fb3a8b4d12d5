"""quota_throughput_ratio: how close tenant creates get to the server's quota without failing.

200 creates from 4 threads (as the plugin runs them) against an emulator quota of 40 requests per
4 s (10 req/s). The value is the rate of requests the emulator admitted (not 429) over the wall
time of the whole batch, divided by 10 req/s. Three policies, side by side in the same run, each on
a fresh emulator (fresh quota history, fresh limiter):

* `budget`   - DescopeClient with a client budget equal to the quota (ClientSettings(rate_limit=
               RateBudget(40, 4)), an explicit SharedRateLimiter): the metric `quota_throughput_ratio`;
* `reactive` - DescopeClient without a budget, paced only by 429 + Retry-After:
               `quota_throughput_ratio_reactive`;
* `naive`    - the seed's loop, the baseline of both: no shared bucket, sleeps 1, 2, 4, 8, 16 s after
               each 429 whatever Retry-After says, gives up after 5 attempts.

Because the quota is a sliding window that starts empty, the first 40 requests go out at once and a
well-paced run of 200 creates ends after ~16 s, so a perfect policy scores ~1.25, not 1.0. The
params also carry `steady_state_ratio`: admissions after the first window's worth, over the time
between the first and the last admission, divided by 10 req/s (1.0 = exactly the quota rate).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Final

import requests
from descope_emulator import EmulatorServer, Quota
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.ratelimit import SharedRateLimiter, UnlimitedRateLimiter
from pulumi_descope_dynamic_provider.api.settings import ClientSettings, RateBudget
from pulumi_descope_dynamic_provider.api.tenants import TENANT_CREATE, TenantRequest

from bench.common import ENGINE_CONCURRENCY, Goal, Options, emit, emulator, note

NAME: Final = "quota_throughput"
METRICS: Final = ("quota_throughput_ratio", "quota_throughput_ratio_reactive")
NEEDS_CLI: Final = False

QUOTA: Final = Quota(40, 4)
QUOTA_RATE: Final = QUOTA.requests / QUOTA.seconds
GOAL_BUDGET: Final = Goal(">=", 0.90)
MAX_429_SHARE: Final = 0.02
GOAL_REACTIVE: Final = Goal(">=", 0.80)
NAIVE_SLEEPS: Final = (1, 2, 4, 8, 16)  # one after each 429; 5 attempts, then give up


@dataclass
class Outcome:
    """One policy's batch of creates, as the emulator and the callers saw it."""

    policy: str
    creates: int
    succeeded: int
    failures: int
    wall_s: float
    total_requests: int
    rate_limited: int
    tenants: int
    first_admitted_s: float
    last_admitted_s: float
    errors: list[str] = field(default_factory=list)

    @property
    def admitted(self) -> int:
        return self.total_requests - self.rate_limited

    @property
    def ratio(self) -> float:
        return self.admitted / self.wall_s / QUOTA_RATE

    @property
    def rate_limited_share(self) -> float:
        return self.rate_limited / self.total_requests if self.total_requests else 0.0

    @property
    def duplicates(self) -> int:
        """Tenants beyond the creates that reported success (a create that happened twice)."""
        return max(0, self.tenants - self.succeeded)

    @property
    def steady_state_ratio(self) -> float | None:
        span = self.last_admitted_s - self.first_admitted_s
        if span <= 0 or self.admitted <= QUOTA.requests:
            return None
        return (self.admitted - QUOTA.requests) / span / QUOTA_RATE

    def params(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "creates": self.creates,
            "succeeded": self.succeeded,
            "failures": self.failures,
            "requests": self.total_requests,
            "admitted": self.admitted,
            "rate_limited_429": self.rate_limited,
            "rate_limited_share": self.rate_limited_share,
            "tenants_in_emulator": self.tenants,
            "duplicates": self.duplicates,
            "wall_s": self.wall_s,
            "last_admitted_s": self.last_admitted_s,
            "steady_state_ratio": self.steady_state_ratio,
            "errors": self.errors[:3],
        }


def _measure(
    policy: str, creates: int, make_create: Callable[[EmulatorServer], Callable[[str], None]]
) -> Outcome:
    names = [f"bench-quota-{policy}-{index:04d}" for index in range(creates)]
    errors: list[str] = []
    succeeded = 0
    lock = threading.Lock()
    with emulator(QUOTA) as server:
        create = make_create(server)

        def one(name: str) -> None:
            nonlocal succeeded
            try:
                create(name)
            except Exception as exc:  # a failure is a result here, not a crash of the benchmark
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:300])
                return
            with lock:
                succeeded += 1

        started_wall = time.time()
        started = time.perf_counter()
        with ThreadPoolExecutor(ENGINE_CONCURRENCY) as pool:
            list(pool.map(one, names))
        wall = time.perf_counter() - started
        stats = server.stats()
        admitted_times = sorted(
            entry["time"] - started_wall for entry in server.requests() if entry["status"] != 429
        )
    return Outcome(
        policy=policy,
        creates=creates,
        succeeded=succeeded,
        failures=len(errors),
        wall_s=wall,
        total_requests=int(stats["total"]),
        rate_limited=int(stats["rate_limited"]),
        tenants=int(stats["tenants"]),
        first_admitted_s=admitted_times[0] if admitted_times else 0.0,
        last_admitted_s=admitted_times[-1] if admitted_times else 0.0,
        errors=errors,
    )


def _client_create(budget: RateBudget | None) -> Callable[[EmulatorServer], Callable[[str], None]]:
    def make(server: EmulatorServer) -> Callable[[str], None]:
        settings = ClientSettings(
            project_id=server.project_id,
            management_key=server.management_key,
            base_url=server.url,
            rate_limit=budget,
        )
        # Explicit limiters: the process-wide registry would hand back one from an earlier run.
        limiter = SharedRateLimiter(budget) if budget else UnlimitedRateLimiter()
        client = DescopeClient(settings, rate_limiter=limiter)  # one client, shared by the threads

        def create(name: str) -> None:
            client.create_tenant(TenantRequest(name=name))

        return create

    return make


class _NaiveError(Exception):
    pass


def _naive_create(server: EmulatorServer) -> Callable[[str], None]:
    """The seed's policy, by hand on purpose: it is what the client replaced."""
    local = threading.local()
    url = server.url + TENANT_CREATE
    headers = server.headers

    def create(name: str) -> None:
        session: requests.Session | None = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        status = 0
        for delay in NAIVE_SLEEPS:
            response = session.post(url, json={"name": name}, headers=headers, timeout=30)
            status = response.status_code
            if status != 429:
                if status >= 300:
                    raise _NaiveError(f"HTTP {status}: {response.text[:200]}")
                return
            time.sleep(delay)  # Retry-After ignored
        raise _NaiveError(f"gave up after {len(NAIVE_SLEEPS)} attempts (last HTTP {status})")

    return create


def run(options: Options) -> None:
    creates = options.size(200, 100)
    common = {"workers": ENGINE_CONCURRENCY, "quota": f"{QUOTA.requests}/{QUOTA.seconds:g}"}

    note(f"quota_throughput: baseline (naive loop), {creates} creates at 10 req/s")
    naive = _measure("naive", creates, _naive_create)
    baseline = {
        "ratio": naive.ratio,
        **{k: v for k, v in naive.params().items() if k not in ("policy", "creates")},
    }

    note("quota_throughput: DescopeClient with a client budget of 40/4")
    budget = _measure("budget", creates, _client_create(RateBudget(QUOTA.requests, QUOTA.seconds)))
    emit(
        "quota_throughput_ratio",
        budget.ratio,
        "ratio",
        f"{GOAL_BUDGET} with 0 failures and 429s <= {MAX_429_SHARE:.0%} of requests",
        naive.ratio,
        {**common, "client_budget": "40/4", **budget.params(), "baseline": baseline},
        goal_met=GOAL_BUDGET.met(budget.ratio)
        and budget.failures == 0
        and budget.duplicates == 0
        and budget.rate_limited_share <= MAX_429_SHARE,
        options=options,
    )

    note("quota_throughput: DescopeClient without a budget (Retry-After only)")
    reactive = _measure("reactive", creates, _client_create(None))
    emit(
        "quota_throughput_ratio_reactive",
        reactive.ratio,
        "ratio",
        f"{GOAL_REACTIVE} with 0 failures",
        naive.ratio,
        {**common, "client_budget": None, **reactive.params(), "baseline": baseline},
        goal_met=GOAL_REACTIVE.met(reactive.ratio) and reactive.failures == 0 and reactive.duplicates == 0,
        options=options,
    )
