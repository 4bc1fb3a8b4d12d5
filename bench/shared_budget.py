"""shared_budget_429_share: three processes sharing one Descope quota through descope:rateLimitStore.

Three real processes (tests/support/budget_worker.py: a DescopeClient built from the environment,
4 threads, as the plugin runs) each create 60 tenants at once against one emulator whose quota is
Descope's 100 requests / 60 s scaled down in time to 100 / 6 s, each with the client budget equal to
the quota (`DESCOPE_RATE_LIMIT=100/6`). Two runs, each on a fresh emulator, in the same bench run:

* `sqlite` - DESCOPE_RATE_LIMIT_STORE=sqlite:///<temp file>: one budget and one 429 pause for the
             three processes; the metric is its share of requests answered 429;
* `memory` - the baseline: each process believes it owns the whole budget (the default store).

The value is 429s / requests as the emulator counted them (retries included).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Final

from descope_emulator import Quota

from bench.common import Goal, Options, emit, emulator, note
from tests.support.budget_worker import SharedRun, run_workers

NAME: Final = "shared_budget"
METRICS: Final = ("shared_budget_429_share",)
NEEDS_CLI: Final = False

QUOTA: Final = Quota(100, 6)
PROCESSES: Final = 3
GOAL: Final = Goal("<=", 0.02)


def _measure(store: str, creates_each: int) -> SharedRun:
    with emulator(QUOTA) as server:
        return run_workers(
            server,
            store=store,
            rate_limit=f"{QUOTA.requests}/{QUOTA.seconds:g}",
            processes=PROCESSES,
            creates_each=creates_each,
            prefix=f"bench-shared-{store.partition(':')[0]}",
        )


def run(options: Options) -> None:
    creates_each = options.size(60, 40)
    note(f"shared_budget: baseline, {PROCESSES} processes x {creates_each} creates, store `memory`")
    memory = _measure("memory", creates_each)
    with tempfile.TemporaryDirectory(prefix="bench-shared-budget-") as workdir:
        store = f"sqlite://{Path(workdir) / 'ratelimit.sqlite'}"
        note(f"shared_budget: {PROCESSES} processes x {creates_each} creates, store `sqlite`")
        sqlite = _measure(store, creates_each)
    emit(
        "shared_budget_429_share",
        sqlite.rate_limited_share,
        "share",
        f"{GOAL} with 0 failures and 0 duplicates",
        memory.rate_limited_share,
        {
            "quota": f"{QUOTA.requests}/{QUOTA.seconds:g}",
            "client_budget": f"{QUOTA.requests}/{QUOTA.seconds:g}",
            "processes": PROCESSES,
            "creates_per_process": creates_each,
            **{key: value for key, value in sqlite.params().items() if key != "store"},
            "store": "sqlite",
            "baseline": {"store": "memory", **{k: v for k, v in memory.params().items() if k != "store"}},
        },
        goal_met=GOAL.met(sqlite.rate_limited_share) and not sqlite.errors and sqlite.duplicates == 0,
        options=options,
    )
