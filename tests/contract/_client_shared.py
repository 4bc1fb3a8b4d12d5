"""Helpers shared by the contract tests of DescopeClient against the emulator
(test_client_tenants_against_emulator.py and test_client_faults_against_emulator.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from descope_emulator import EmulatorServer
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.errors import (
    DescopeError,
)
from pulumi_descope_dynamic_provider.api.settings import ClientSettings
from pulumi_descope_dynamic_provider.api.tenants import (
    TenantRequest,
)

# ---- helpers -----------------------------------------------------------------------------------------


class RecordingSleeper:
    """The client's sleeper: records each wait and returns at once (the deadline still runs on the
    real clock, so only the back-off pauses between attempts are skipped)."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.sleeps.append(seconds)


ClientFactory = Callable[..., DescopeClient]


def settings_for(server: EmulatorServer, **overrides: Any) -> ClientSettings:
    values: dict[str, Any] = {
        "project_id": server.project_id,
        "management_key": server.management_key,
        "base_url": server.url,
        "rate_limit": None,
    }
    values.update(overrides)
    return ClientSettings(**values)


def outcomes(server: EmulatorServer, method: str, path: str) -> dict[str, int]:
    """What the emulator answered on one route: {"200": n, "lost_response": n, ...}."""
    return dict(server.stats()["requests"].get(f"{method} {path}", {}))


def stored(server: EmulatorServer, tenant_id: str) -> dict[str, Any]:
    tenant = server.state.get_tenant(tenant_id)
    assert tenant is not None, f"tenant {tenant_id!r} is not in the emulator"
    return tenant


def assert_readable(exc: DescopeError) -> None:
    """A message a person can act on, and a traceback of typed errors only: no JSONDecodeError,
    ValidationError or raw requests exception shows through (`raise ... from None`)."""
    text = str(exc)
    assert text and "\n" not in text and len(text) < 700, text
    assert exc.operation, "the message names the operation"
    chain: BaseException | None = exc
    while chain is not None:
        assert isinstance(chain, DescopeError), f"{type(chain).__name__} leaks into the traceback"
        chain = chain.__cause__ or (None if chain.__suppress_context__ else chain.__context__)


FULL = TenantRequest(
    id="acme",
    name="Acme Corp",
    self_provisioning_domains=["acme.com", "acme.io"],
    custom_attributes={"plan": "gold", "seats": 5, "beta": True, "regions": ["eu", "us"]},
    enforce_sso=True,
    enforce_sso_exclusions=["U1", "U2"],
    disabled=False,
    federated_app_ids=["app-1"],
    roleInheritance="userOnly",  # not declared by TenantFields: by its wire key
)
