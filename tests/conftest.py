"""Shared fixtures: a fresh in-process Descope emulator per test, and the dynamic-plugin harness."""

from collections.abc import Iterator

import pytest
from descope_emulator import EmulatorServer

pytest_plugins = ["tests.support.fixtures"]


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    """A started EmulatorServer on a free port with empty state, default credentials, no quota or faults."""
    with EmulatorServer() as server:
        yield server
