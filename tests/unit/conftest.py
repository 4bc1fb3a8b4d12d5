"""Fixtures for the DescopeClient unit tests: a fake clock, a recording rate limiter, the client's
event log and a client of a mocked Descope that sleeps on the fake clock.
"""

from __future__ import annotations

import random

import pytest
from pulumi_descope_dynamic_provider.api.client import ClientEvent, DescopeClient
from pulumi_descope_dynamic_provider.api.settings import ClientSettings

from tests.support.clock import FakeClock
from tests.unit._client_shared import (
    BASE,
    KEY,
    PROJECT,
    RecordingLimiter,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter() -> RecordingLimiter:
    return RecordingLimiter()


@pytest.fixture
def events() -> list[ClientEvent]:
    return []


@pytest.fixture
def client(clock: FakeClock, limiter: RecordingLimiter, events: list[ClientEvent]) -> DescopeClient:
    settings = ClientSettings(
        project_id=PROJECT, management_key=KEY, base_url=BASE, call_deadline_seconds=120
    )
    return DescopeClient(
        settings,
        rate_limiter=limiter,
        clock=clock,
        sleeper=clock.sleep,
        rng=random.Random(7),
        on_event=events.append,
    )
