"""Shared fixtures: a fresh in-process Descope emulator per test, the dynamic-plugin harness, and the
guard that keeps CLI-driving tests out of the fast tier (`pytest -m "not e2e"`)."""

from collections.abc import Iterator

import pytest
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic_provider.api import ratelimit
from pulumi_descope_dynamic_provider.api.report import RATE_REPORT
from pulumi_descope_dynamic_provider.api.transport import Transport
from pulumi_descope_dynamic_provider.core import shared

# tiers: a test that reaches the Pulumi CLI without the e2e marker fails (see the module).
pytest_plugins = ["tests.harness.fixtures", "tests.support.tiers"]


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    """A started EmulatorServer on a free port with empty state, default credentials, no quota or faults."""
    with EmulatorServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _fresh_process_wide_state() -> Iterator[None]:
    """The provider keeps one client (with its snapshots) and one rate limiter per base URL and
    project for the life of the process, as a plugin process should. A test's emulator gets a free
    port that a later test's emulator may get again, with the same seeded ids: forget them after
    each test, so no test inherits another's snapshot, answered creates or 429 pauses."""
    yield
    with shared._SHARED_LOCK:
        for api in shared._SHARED.values():
            api.client.close()
        shared._SHARED.clear()
    with ratelimit._registry_lock:
        ratelimit._registry.clear()


@pytest.fixture(autouse=True)
def _no_license_handshake(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process clients skip the once-per-client license GET, so the request counts tests assert
    stay those of the operation under test (tests/unit/test_license.py turns it on with
    `license_handshake`). Real plugin and CLI processes, started by other tests, always do it."""
    monkeypatch.setattr(Transport, "license_handshake", False)


@pytest.fixture
def license_handshake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Transport, "license_handshake", True)


@pytest.fixture(autouse=True)
def _fresh_rate_report() -> Iterator[None]:
    RATE_REPORT.reset()
    yield
    RATE_REPORT.reset()
