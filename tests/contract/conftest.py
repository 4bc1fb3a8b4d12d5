"""Fixtures for the contract tests of DescopeClient against the emulator: a recording sleeper, the
client's event log and a factory of clients of the emulator (each with its own rate limiter).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic_provider.api.client import ClientEvent, DescopeClient
from pulumi_descope_dynamic_provider.api.ratelimit import (
    RateLimiterProtocol,
    UnlimitedRateLimiter,
)

from tests.contract._client_shared import (
    ClientFactory,
    RecordingSleeper,
    settings_for,
)


@pytest.fixture
def sleeper() -> RecordingSleeper:
    return RecordingSleeper()


@pytest.fixture
def events() -> list[ClientEvent]:
    return []


@pytest.fixture
def make_client(
    emulator: EmulatorServer, sleeper: RecordingSleeper, events: list[ClientEvent]
) -> Iterator[ClientFactory]:
    """``make_client(server=None, clock=None, sleep=None, limiter=None, seed=1234, **settings)``: a
    client of the emulator with its own rate limiter (no sharing between tests) and the recording
    sleeper."""
    made: list[DescopeClient] = []

    def make(
        *,
        server: EmulatorServer | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
        limiter: RateLimiterProtocol | None = None,
        seed: int = 1234,
        **overrides: Any,
    ) -> DescopeClient:
        target = server or emulator
        kwargs: dict[str, Any] = {
            "sleeper": sleep or sleeper,
            "on_event": events.append,
            # Seeded jitter: the number of attempts before a deadline is the same on every run.
            "rng": random.Random(seed),
        }
        if clock is not None:
            kwargs["clock"] = clock
        client = DescopeClient(
            settings_for(target, **overrides), rate_limiter=limiter or UnlimitedRateLimiter(), **kwargs
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: ClientFactory) -> DescopeClient:
    return make_client()
