"""Compound faults around an ambiguous create, many seeds, in process and on a fake clock.

Each seed: a create (custom or generated id) whose first answer is lost or unusable, then a random
mix of faults on the look-up that decides "adopt or re-send" (5xx of every style, resets, timeouts,
empty/truncated/HTML bodies) and on later attempts, sometimes with a deadline too short to see it
through. Promises checked on every seed:

- the call either returns the one tenant with that name, or fails; a failure that leaves a tenant in
  Descope says which one (its id or name) and that adopt=True / descope:adoptExisting=true takes it
  over;
- a rerun with descope:adoptExisting=true, itself through faults, never makes a second tenant with
  that name, and a clean rerun ends with exactly one.

Back-off waits advance a fake clock (no real sleeping); a timeout is a real read timeout of 0.1 s.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from descope_emulator import EmulatorServer, FaultConfig
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.ratelimit import UnlimitedRateLimiter
from pulumi_descope_dynamic_provider.api.settings import ClientSettings
from pulumi_descope_dynamic_provider.api.tenants import TENANT_CREATE, TENANT_LOAD, TENANT_SEARCH
from pulumi_descope_dynamic_provider.core.provider import ResourceError
from pulumi_descope_dynamic_provider.tenant import TenantProvider

from tests.support.clock import FakeClock

SEEDS = range(60)
READ_TIMEOUT = 0.1

# What makes the first create attempt's outcome unknown: committed without a usable answer, or
# failed in a way the client cannot tell from "committed".
AMBIGUOUS = [
    ("lost_response", {}),
    ("malformed", {"variant": "empty"}),
    ("malformed", {"variant": "truncated"}),
    ("error", {"status": 503, "variant": "json"}),
    ("error", {"status": 524, "variant": "html"}),
    ("hang", {}),
]
# Faults a look-up (a read) may meet; none of them changes anything.
LOOKUP_FAULTS = [
    ("error", {"status": 503, "variant": "json"}),
    ("error", {"status": 520, "variant": "text"}),
    ("error", {"status": 530, "variant": "html"}),
    ("reset", {}),
    ("hang", {}),
    ("malformed", {"variant": "empty"}),
    ("malformed", {"variant": "truncated"}),
    ("malformed", {"variant": "html"}),
]


@dataclass
class Run:
    provider: TenantProvider
    client: DescopeClient


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as emulator:
        # Queued faults only; a queued hang answers nothing for this long, then resets.
        emulator.set_faults(FaultConfig(hang_seconds=0.3))
        yield emulator


def make_run(emulator: EmulatorServer, seed: int, *, deadline: float, adopt_existing: bool) -> Run:
    clock = FakeClock()
    settings = ClientSettings(
        project_id=emulator.project_id,
        management_key=emulator.management_key,
        base_url=emulator.url,
        rate_limit=None,
        call_deadline_seconds=deadline,
        read_timeout_seconds=READ_TIMEOUT,
    )
    client = DescopeClient(
        settings,
        rate_limiter=UnlimitedRateLimiter(),
        clock=clock,
        sleeper=clock.sleep,
        rng=random.Random(seed),
    )
    provider = TenantProvider()
    provider.configure(ConfigureRequest(Config({"descope:adoptExisting": str(adopt_existing).lower()}, "p")))
    provider.use_client(client)
    return Run(provider, client)


def queue_mix(emulator: EmulatorServer, rng: random.Random, lookup_path: str, count: int) -> None:
    """`count` look-up faults, with now and then a fault on a re-sent create in between."""
    for _ in range(count):
        kind, extra = rng.choice(LOOKUP_FAULTS)
        emulator.queue_fault(
            kind, method="GET" if lookup_path == TENANT_LOAD else "POST", path=lookup_path, **extra
        )
        if rng.random() < 0.2:
            kind, extra = rng.choice(AMBIGUOUS)
            emulator.queue_fault(kind, method="POST", path=TENANT_CREATE, **extra)


def tenants_named(emulator: EmulatorServer, name: str) -> list[str]:
    found = (emulator.state.get_tenant(t) for t in emulator.state.tenant_ids())
    return [t["id"] for t in found if t and t["name"] == name]


def clear_faults(emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultConfig(hang_seconds=0.3))  # drops nothing queued: drain by reset
    emulator.app.faults.reset()


@pytest.mark.parametrize("seed", SEEDS)
def test_ambiguous_create_through_mixed_lookup_faults_never_duplicates(
    server: EmulatorServer, seed: int
) -> None:
    rng = random.Random(seed)
    generated = seed % 2 == 1
    name = f"Chaos {seed}"
    inputs: dict[str, Any] = {"name": name, "self_provisioning_domains": [f"chaos{seed}.example.com"]}
    if not generated:
        inputs["tenant_id"] = f"chaos-{seed}"
    lookup_path = TENANT_SEARCH if generated else TENANT_LOAD
    # A few seeds get a deadline too short for their faults: the call must then give up and say so.
    deadline = rng.choice([300.0, 300.0, 300.0, 2.0])

    kind, extra = rng.choice(AMBIGUOUS)
    server.queue_fault(kind, method="POST", path=TENANT_CREATE, **extra)
    queue_mix(server, rng, lookup_path, rng.randint(1, 6))

    first = make_run(server, seed, deadline=deadline, adopt_existing=False)
    try:
        created = first.provider.create(dict(inputs))
    except ResourceError as exc:
        message = str(exc)
        left = tenants_named(server, name)
        assert len(left) <= 1, f"duplicated: {left}"
        if left:
            # A tenant the stack does not hold: the message names it and says how to adopt it.
            assert (left[0] in message) or (repr(name) in message), message
            assert "adopt=True" in message and "descope:adoptExisting=true" in message, message
    else:
        assert created.id is not None
        assert tenants_named(server, name) == [created.id]
    finally:
        first.client.close()

    # Rerun with descope:adoptExisting=true, through a new mix of faults: never a second tenant.
    queue_mix(server, rng, lookup_path, rng.randint(0, 4))
    second = make_run(server, seed + 1000, deadline=deadline, adopt_existing=True)
    try:
        second.provider.create(dict(inputs))
    except ResourceError:
        pass
    finally:
        second.client.close()
    assert len(tenants_named(server, name)) <= 1

    # And a clean rerun converges on exactly one.
    clear_faults(server)
    third = make_run(server, seed + 2000, deadline=300.0, adopt_existing=True)
    try:
        result = third.provider.create(dict(inputs))
    finally:
        third.client.close()
    assert tenants_named(server, name) == [result.id]
