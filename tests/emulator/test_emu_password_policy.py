"""Password policies on the emulator: the official Python SDK's `mgmt.password` calls (project and
tenant scope), the Node and Go SDKs' body shapes, the console edit (admin route), and this project's
client overlaying a policy while keeping a key newer than its code."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from descope import DescopeClient as SdkClient
from descope.exceptions import AuthException
from descope_emulator import EmulatorServer
from emu_support import admin, api, assert_error
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.errors import NotFoundError
from pulumi_descope_dynamic_provider.api.settings import ClientSettings

PATH = "/v1/mgmt/password/settings"
RULES = {
    "enabled": True,
    "minLength": 12,
    "lowercase": True,
    "uppercase": True,
    "number": True,
    "nonAlphanumeric": True,
    "expiration": True,
    "expirationWeeks": 26,
    "reuse": True,
    "reuseAmount": 5,
    "lock": True,
    "lockAttempts": 5,
}


@pytest.fixture
def sdk(emulator: EmulatorServer) -> SdkClient:
    return SdkClient(
        project_id=emulator.project_id, management_key=emulator.management_key, base_url=emulator.url
    )


@pytest.fixture
def client(emulator: EmulatorServer) -> Iterator[DescopeClient]:
    settings = ClientSettings(
        project_id=emulator.project_id,
        management_key=emulator.management_key,
        base_url=emulator.url,
        rate_limit=None,
    )
    made = DescopeClient(settings)
    yield made
    made.close()


def test_python_sdk_sets_a_tenant_policy_apart_from_the_projects(
    emulator: EmulatorServer, sdk: SdkClient
) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    project = sdk.mgmt.password.get_settings()
    assert set(project) == set(RULES)
    # Until it has its own, a tenant's policy is the project's.
    assert sdk.mgmt.password.get_settings("acme") == project

    sdk.mgmt.password.configure_settings("acme", RULES)
    assert sdk.mgmt.password.get_settings("acme") == RULES
    assert sdk.mgmt.password.get_settings() == project

    # A full replace: what is left out is off or 0.
    sdk.mgmt.password.configure_settings("acme", {"minLength": 10})
    assert sdk.mgmt.password.get_settings("acme") == {
        **{key: False for key, value in RULES.items() if isinstance(value, bool)},
        **{key: 0 for key, value in RULES.items() if not isinstance(value, bool)},
        "minLength": 10,
    }
    sdk.mgmt.password.configure_settings("", {**RULES, "minLength": 9})
    assert sdk.mgmt.password.get_settings()["minLength"] == 9


def test_unknown_tenant_and_out_of_range_values_are_refused(emulator: EmulatorServer, sdk: SdkClient) -> None:
    with pytest.raises(AuthException) as missing:
        sdk.mgmt.password.get_settings("nope")
    assert missing.value.status_code == 404
    assert_error(api(emulator, "POST", PATH, {"tenantId": "nope", **RULES}), 400, "E112202")
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    assert_error(api(emulator, "POST", PATH, {"tenantId": "acme", "minLength": 3}), 400, "E011004")
    assert_error(api(emulator, "POST", PATH, {"tenantId": "acme", "lockAttempts": 11}), 400, "E011004")
    assert_error(api(emulator, "POST", PATH, {"tenantId": "acme", "minLength": "12"}), 400, "E011003")


def test_node_and_go_shapes(emulator: EmulatorServer) -> None:
    """Node sends the settings object as given plus `tenantId` (its TypeScript type spells
    `nonAlphaNumeric`); Go sends every field, zero values included."""
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    node = {
        **{k: v for k, v in RULES.items() if k != "nonAlphanumeric"},
        "nonAlphaNumeric": True,
        "tenantId": "acme",
    }
    assert api(emulator, "POST", PATH, node).json() == {}
    assert api(emulator, "GET", PATH, params={"tenantId": "acme"}).json() == RULES
    go = {"tenantId": "acme", **{k: (0 if not isinstance(v, bool) else False) for k, v in RULES.items()}}
    assert api(emulator, "POST", PATH, go).status_code == 200
    assert api(emulator, "GET", PATH, params={"tenantId": "acme"}).json()["minLength"] == 0


def test_console_edit_route_and_state(emulator: EmulatorServer) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    edited = admin(emulator, "POST", "/password/edit", {"tenantId": "acme", "minLength": 20}).json()
    assert edited["minLength"] == 20 and edited["enabled"] is True  # the rest as it was (the project's)
    assert emulator.state.load_password_policy("acme") == edited
    dumped = emulator.state.dump()["passwordPolicies"]
    assert dumped == [{"tenantId": "acme", **edited}]
    emulator.state.clear()
    emulator.state.load({"tenants": [{"id": "acme", "name": "Acme"}], "passwordPolicies": dumped})
    assert emulator.state.load_password_policy("acme") == edited
    emulator.state.remove_tenant("acme")
    assert emulator.state.dump()["passwordPolicies"] == []


def test_overlay_changes_one_rule_and_keeps_a_newer_field(
    emulator: EmulatorServer, client: DescopeClient
) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.state.configure_password_policy(
        {"tenantId": "acme", **RULES, "tempLock": True, "tempLockAttempts": 3}
    )
    written = client.overlay_password_policy("acme", {"minLength": 16})
    assert written.requests == 2 and written.before.min_length == 12
    assert emulator.state.load_password_policy("acme") == {
        **RULES,
        "minLength": 16,
        "tempLock": True,
        "tempLockAttempts": 3,
    }
    # Asking for what is already so costs the read only.
    assert client.overlay_password_policy("acme", {"minLength": 16, "lock": True}).requests == 1
    assert emulator.stats()["requests"][f"POST {PATH}"] == {"200": 1}
    with pytest.raises(NotFoundError):
        client.overlay_password_policy("nope", {"minLength": 16})
