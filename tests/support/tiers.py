"""The `e2e` tier guard: a test that reaches the real Pulumi CLI must carry the `e2e` marker.

`pytest -m "not e2e"` is the fast tier only if no test there starts the CLI. Marking is easy to
forget, so the helpers that find or run the CLI (tests/support/cli.py, tests/support/interrupt.py)
call :func:`require_e2e` first: in a running test without the marker it fails the test, naming the
fix. This module is a pytest plugin (tests/conftest.py loads it) that keeps the running test's item
for that check, from the setup of its fixtures to their teardown. Outside a pytest test (the
benchmarks, scripts) there is no item and the check passes.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

MARKER = "e2e"

_running: Any = None
"""The pytest item whose setup, call or teardown is running; None outside a test."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    global _running
    outer, _running = _running, item  # an in-process inner session (pytester) nests
    try:
        yield
    finally:
        _running = outer


def require_e2e(what: str) -> None:
    """Fail the running test unless it (its class or module) carries the `e2e` marker."""
    item = _running
    if item is None or item.get_closest_marker(MARKER) is not None:
        return
    pytest.fail(
        f"{item.nodeid} {what}, which only tests marked {MARKER!r} may do: add "
        f"`pytestmark = pytest.mark.{MARKER}` to its module (or @pytest.mark.{MARKER} to the test), "
        f'so that `pytest -m "not {MARKER}"` stays the fast tier without the CLI',
        pytrace=False,
    )
