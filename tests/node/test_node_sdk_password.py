"""Contract test: the official Descope Node SDK's `management.password` calls against the emulator, for
the project's and a tenant's password policy (see test_node_sdk_contract.py for the harness)."""

from __future__ import annotations

from descope_emulator import EmulatorServer

from tests.node.test_node_sdk_contract import assert_error, assert_ok, call, run, sent
from tests.node.ts_types import TypeScriptTypes

PATH = "/v1/mgmt/password/settings"


def test_password_settings_for_the_project_and_a_tenant(
    node: str, emulator: EmulatorServer, ts: TypeScriptTypes
) -> None:
    emulator.state.create_tenant({"id": "t1", "name": "Acme"})
    # As its TypeScript type `PasswordSettings` has it: `nonAlphaNumeric` with a capital A.
    rules = {
        "enabled": True,
        "minLength": 12,
        "lowercase": True,
        "uppercase": True,
        "number": True,
        "nonAlphaNumeric": True,
        "expiration": True,
        "expirationWeeks": 26,
        "reuse": True,
        "reuseAmount": 5,
        "lock": True,
        "lockAttempts": 5,
    }
    results = run(
        node,
        emulator,
        call("password.getSettings", ""),
        call("password.configureSettings", "t1", rules),
        call("password.getSettings", "t1"),
        call("password.getSettings", ""),
        call("password.configureSettings", "t1", {**rules, "minLength": 2}),
        call("password.getSettings", "missing"),
    )
    project = assert_ok(results[0])
    assert_ok(results[1])
    assert sent(emulator, PATH)[0] == {**rules, "tenantId": "t1"}
    loaded = assert_ok(results[2])
    expected = {key: value for key, value in rules.items() if key != "nonAlphaNumeric"}
    assert loaded == {**expected, "nonAlphanumeric": True}
    # The answer spells the field as the Python and Go SDKs do; the only difference from the Node
    # type is that spelling (docs/api-notes/tenant-password-policy.md).
    assert ts.problems({**loaded, "nonAlphaNumeric": loaded.pop("nonAlphanumeric")}, "PasswordSettings") == []
    assert assert_ok(results[3]) == project  # the tenant's write left the project's policy as it was
    assert "minLength" in assert_error(results[4], 400, "E011004")["errorMessage"]
    assert_error(results[5], 404, "E112202")
