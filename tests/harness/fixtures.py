"""pytest fixtures for the dynamic-provider plugin harness.

Wired in by ``pytest_plugins = ["tests.harness.fixtures", ...]`` in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

import pytest
from pulumi.dynamic import ResourceProvider

from tests.harness.plugin import DynamicPlugin


class PluginFactory(Protocol):
    """Starts a plugin (already configured when ``config`` is given); stopped at the end of the test."""

    def __call__(
        self,
        provider: ResourceProvider | str | None = None,
        *,
        config: Mapping[str, Any] | None = None,
        secret_keys: Iterable[str] = (),
        env: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> DynamicPlugin: ...


@pytest.fixture
def running_plugin() -> Iterator[PluginFactory]:
    """Factory fixture: ``plugin = running_plugin(MyProvider(), config={"descope:projectId": "P1"})``."""
    started: list[DynamicPlugin] = []

    def factory(
        provider: ResourceProvider | str | None = None,
        *,
        config: Mapping[str, Any] | None = None,
        secret_keys: Iterable[str] = (),
        env: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> DynamicPlugin:
        plugin = DynamicPlugin(provider, config=config, secret_keys=secret_keys, env=env, **kwargs)
        started.append(plugin)
        return plugin.start()

    yield factory
    for plugin in reversed(started):
        plugin.close()
