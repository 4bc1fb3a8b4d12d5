"""The TenantPasswordPolicy provider through the real `python -m pulumi.dynamic` plugin over gRPC, with
the blob the sdk class produces, against the emulator: check's bounds, what create records, a rule
managed from a later update, delete putting back, a tenant gone."""

from __future__ import annotations

from typing import Any

import pytest
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic import tenant_password_policy

from tests.harness import CLEAN_ENV, DiffChanges, DynamicPlugin, PluginError, dynamic_type, urn_for
from tests.harness.fixtures import PluginFactory

URN = urn_for(dynamic_type("descope", "TenantPasswordPolicy"), "acme-passwords")


@pytest.fixture
def plugin(running_plugin: PluginFactory, emulator: EmulatorServer) -> DynamicPlugin:
    config = {
        "descope:projectId": emulator.project_id,
        "descope:managementKey": emulator.management_key,
        "descope:baseUrl": emulator.url,
    }
    return running_plugin(
        tenant_password_policy._PROVIDER, config=config, secret_keys=["descope:managementKey"], env=CLEAN_ENV
    )


def live(emulator: EmulatorServer) -> dict[str, Any]:
    return emulator.state.load_password_policy("acme")


def test_check_normalises_and_refuses_out_of_range_without_a_request(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    inputs, failures = plugin.check(URN, {}, {"tenant_id": "acme", "min_length": 12.0, "lock_attempts": 10})
    assert (
        failures == [] and inputs["min_length"] == 12
    )  # (a protobuf Struct carries every number as a float)
    _, failures = plugin.check(
        URN,
        {},
        {"tenant_id": "acme", "min_length": 65, "reuse_amount": 0, "lock": "yes", "expiration_weeks": 1.5},
    )
    assert dict(failures) == {
        "min_length": "min_length must be from 4 to 64; got 65: choose a value in that range",
        "reuse_amount": "reuse_amount must be from 1 to 50; got 0: choose a value in that range",
        "lock": "lock must be True or False; got str 'yes'",
        "expiration_weeks": "expiration_weeks must be a whole number from 1 to 999; got float 1.5",
    }
    assert emulator.stats()["total"] == 0


def test_create_records_update_adds_and_delete_puts_back(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.state.edit_password_policy("acme", minLength=10, reuse=True, reuseAmount=3)
    original = live(emulator)

    inputs, _ = plugin.check(URN, {}, {"tenant_id": "acme", "min_length": 12})
    created = plugin.create(URN, inputs)
    assert created.id == "acme" and live(emulator) == {**original, "minLength": 12}
    assert created.properties["policy_before"]["min_length"] == 10
    assert created.properties["policy_before"]["reuse_amount"] == 3

    # The program starts managing reuse_amount; meanwhile the console changed it: its value just
    # before the update is what delete puts back.
    emulator.state.edit_password_policy("acme", reuseAmount=7)
    news, _ = plugin.check(URN, inputs, {"tenant_id": "acme", "min_length": 12, "reuse_amount": 20})
    refreshed = plugin.read("acme", URN, created.properties)
    assert plugin.diff("acme", URN, refreshed.properties, news).changes == DiffChanges.SOME
    updated = plugin.update("acme", URN, refreshed.properties, news)
    assert live(emulator)["reuseAmount"] == 20
    assert updated.properties["policy_before"]["reuse_amount"] == 7

    plugin.delete("acme", URN, updated.properties)
    assert live(emulator) == {**original, "reuseAmount": 7}


def test_missing_tenant_fails_create_with_the_fix_and_a_gone_tenant_is_dropped(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    inputs, _ = plugin.check(URN, {}, {"tenant_id": "acme", "lock": True})
    with pytest.raises(PluginError) as info:
        plugin.create(URN, inputs)
    assert "tenant 'acme' does not exist" in str(info.value) and "tenant_id=" in str(info.value)
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    created = plugin.create(URN, inputs)
    emulator.state.remove_tenant("acme")
    assert plugin.read("acme", URN, created.properties).id is None
    plugin.delete("acme", URN, created.properties)  # already gone: success
