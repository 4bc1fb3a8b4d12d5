"""One rate budget shared by several processes (descope:rateLimitStore), through real stores.

Three real processes, each a DescopeClient built from the environment as the provider builds it,
create tenants against one emulator quota (scaled down in time, as bench/quota_throughput does:
60 requests per 6 s instead of 100 per 60 s) with a client budget a quarter below the quota, once through a
SQLite file and once through a real redis-server this module starts on a free loopback port.
Together they must stay within the quota (429s <= 2% of requests), with no failure and no duplicate.
Each process believing it owns the whole budget (`memory`) would send about three times the quota in
the first window: that is the bench's baseline (bench/shared_budget.py), not asserted here.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from descope_emulator import EmulatorServer, Quota
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.ratelimit import (
    RateLimitStoreError,
    SharedRateLimiter,
    UnlimitedRateLimiter,
)
from pulumi_descope_dynamic_provider.api.settings import ClientSettings, RateBudget, RateLimitStore
from pulumi_descope_dynamic_provider.api.tenants import TenantRequest

from tests.support.budget_worker import REPO_ROOT, run_workers
from tests.support.clock import FakeClock
from tests.support.redis_server import free_loopback_port, redis_server

QUOTA = Quota(60, 6)
# A client counts a request when it leaves, the quota when it arrives. A budget B below a quota Q per
# window W absorbs any leave-to-arrive delay up to W * (Q - B) / B; on a loaded 2-core machine (the
# whole suite under coverage, three workers and the emulator) delays of most of a second were seen:
# a 3 s window with a budget a fifth below (0.75 s of slack) met 2 429s in 65 requests in CI. A 6 s
# window with a budget a quarter below leaves 2 s, the run still takes two windows (63 requests
# over a budget of 45), and each process spending the whole budget (`memory`) would still send
# about 3x the quota in the first window.
BUDGET = f"{QUOTA.requests * 3 // 4}/{QUOTA.seconds:g}"
PROCESSES = 3
CREATES_EACH = 20
MAX_429_SHARE = 0.02


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path, redis_url: str) -> str:
    if request.param == "sqlite":
        return f"sqlite://{tmp_path / 'ratelimit.sqlite'}"
    return redis_url


def test_three_processes_sharing_a_store_stay_within_one_quota(store: str) -> None:
    with EmulatorServer(quota=QUOTA) as server:
        run = run_workers(
            server,
            store=store,
            rate_limit=BUDGET,
            processes=PROCESSES,
            creates_each=CREATES_EACH,
            prefix="shared",
        )
    print(run.params())
    assert run.errors == []
    assert run.succeeded == PROCESSES * CREATES_EACH
    expected = {f"shared-p{p}-{i:03d}" for p in range(PROCESSES) for i in range(CREATES_EACH)}
    assert sorted(run.tenant_names) == sorted(expected)  # every tenant once: no duplicate, none lost
    assert run.requests >= PROCESSES * CREATES_EACH
    assert run.rate_limited_share <= MAX_429_SHARE, run.params()
    # Three processes' worth of creates took at least the windows the shared quota allows: the
    # processes waited for each other (one budget), they did not each spend a whole one.
    assert any("budget" in event for event in run.events)


def _pause_in_another_process(store: str, seconds: float) -> None:
    """A separate Python process meets a 429 (simulated by its limiter's pause) through the store."""
    code = (
        "import sys\n"
        "from pulumi_descope_dynamic_provider.api.ratelimit import UnlimitedRateLimiter\n"
        "from pulumi_descope_dynamic_provider.api.settings import RateLimitStore\n"
        "store = RateLimitStore.parse(sys.argv[1])\n"
        "UnlimitedRateLimiter(store=store, scope='https://api.test').pause(float(sys.argv[2]))\n"
    )
    subprocess.run([sys.executable, "-c", code, store, str(seconds)], cwd=REPO_ROOT, check=True, timeout=60)


def test_a_pause_from_a_429_in_one_process_holds_the_others(store: str) -> None:
    _pause_in_another_process(store, 600)
    here = UnlimitedRateLimiter(store=RateLimitStore.parse(store), scope="https://api.test")
    assert 300 < here.paused_for() <= 600  # wall-clock seconds: generous for a slow process start
    with pytest.raises(TimeoutError, match="rate limited by Descope"):
        here.acquire(timeout=1)  # refused at once: the pause outlasts the deadline
    # Another API host has its own budget and pause.
    other = UnlimitedRateLimiter(store=RateLimitStore.parse(store), scope="https://api.other.test")
    assert other.paused_for() == 0


def test_limiters_on_one_redis_share_the_budget_and_the_pause(redis_url: str) -> None:
    clock = FakeClock(now=time.time())
    store = RateLimitStore.parse(redis_url)
    first, second = (
        SharedRateLimiter(RateBudget(3, 60), clock=clock, sleeper=clock.sleep, store=store, scope="https://r")
        for _ in range(2)
    )
    # Timeouts leave room for the store's lock (pyrate's leak thread takes it now and then).
    first.acquire(timeout=1)
    first.acquire(timeout=1)
    second.acquire(timeout=1)
    with pytest.raises(TimeoutError):
        second.acquire(timeout=0.05)  # the third token went to `second`; no fourth for anyone
    first.pause(30)
    second.pause(10)  # a shorter pause never shortens a longer one
    assert second.paused_for() == pytest.approx(30)
    waits: list[float] = []
    UnlimitedRateLimiter(clock=clock, sleeper=clock.sleep, store=store, scope="https://r").acquire(
        on_wait=lambda _reason, seconds: waits.append(seconds)
    )
    assert clock.sleeps == [pytest.approx(30)] and waits == [pytest.approx(30)]


def test_an_unreachable_redis_fails_the_first_call_naming_the_setting(emulator: EmulatorServer) -> None:
    url = f"redis://127.0.0.1:{free_loopback_port()}/0"  # nothing listens there
    settings = ClientSettings(
        project_id=emulator.project_id,
        management_key=emulator.management_key,
        base_url=emulator.url,
        rate_limit_store=RateLimitStore.parse(url),
    )
    client = DescopeClient(settings)  # building the client opens nothing
    with pytest.raises(RateLimitStoreError) as caught:
        client.create_tenant(TenantRequest(name="never-sent"))
    message = str(caught.value)
    assert "descope:rateLimitStore (DESCOPE_RATE_LIMIT_STORE)" in message
    assert url in message and "start that Redis server" in message and "`memory`" in message
    assert emulator.stats()["total"] == 0  # no silent fallback: nothing was sent unpaced


def test_a_redis_that_goes_away_mid_run_fails_the_next_call_instead_of_unpacing_it(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    with redis_server(tmp_path) as url:
        settings = ClientSettings(
            project_id=emulator.project_id,
            management_key=emulator.management_key,
            base_url=emulator.url,
            rate_limit_store=RateLimitStore.parse(url),
        )
        limiter = SharedRateLimiter(RateBudget(50, 60), store=settings.rate_limit_store, scope=emulator.url)
        client = DescopeClient(settings, rate_limiter=limiter)
        client.create_tenant(TenantRequest(name="before"))
    with pytest.raises(RateLimitStoreError, match=r"descope:rateLimitStore .*start that Redis server"):
        client.create_tenant(TenantRequest(name="after"))
    assert [t["name"] for t in emulator.state.all_tenants()["tenants"]] == ["before"]
