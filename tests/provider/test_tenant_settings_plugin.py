"""The TenantSettings provider through the real `python -m pulumi.dynamic` plugin over gRPC, with the
blobs the sdk classes produce, against the emulator; Tenant calls go to the same plugin process, as
the engine sends them."""

from __future__ import annotations

import concurrent.futures
from typing import Any

import pytest
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic import tenant, tenant_settings

from tests.harness import (
    CLEAN_ENV,
    DiffChanges,
    DynamicPlugin,
    PluginError,
    dynamic_type,
    provider_blob,
    urn_for,
)
from tests.harness.fixtures import PluginFactory

SETTINGS_TYPE = dynamic_type("descope", "TenantSettings")
TENANT_TYPE = dynamic_type("descope", "Tenant")
TENANT_BLOB = provider_blob(tenant._PROVIDER)


def urn(name: str = "acme-session") -> str:
    return urn_for(SETTINGS_TYPE, name)


@pytest.fixture
def plugin(running_plugin: PluginFactory, emulator: EmulatorServer) -> DynamicPlugin:
    config = {
        "descope:projectId": emulator.project_id,
        "descope:managementKey": emulator.management_key,
        "descope:baseUrl": emulator.url,
    }
    return running_plugin(
        tenant_settings._PROVIDER, config=config, secret_keys=["descope:managementKey"], env=CLEAN_ENV
    )


def create_tenant(plugin: DynamicPlugin, tenant_id: str, domains: list[str]) -> dict[str, Any]:
    news = {"__provider": TENANT_BLOB, "name": tenant_id.title(), "tenant_id": tenant_id}
    news["self_provisioning_domains"] = domains
    inputs, failures = plugin.check(urn_for(TENANT_TYPE, tenant_id), {}, news)
    assert failures == []
    # Every call carries its resource's blob, as the engine sends it (check's answer may drop it).
    return plugin.create(urn_for(TENANT_TYPE, tenant_id), {**inputs, "__provider": TENANT_BLOB}).properties


def live(emulator: EmulatorServer, tenant_id: str) -> dict[str, Any]:
    return emulator.state.load_settings(tenant_id)


SESSION = {
    "tenant_id": "acme",
    "session_settings_enabled": True,
    "session_token_expiration": 15,
    "refresh_token_expiration": "12h",
    "enable_inactivity": True,
    "inactivity_time": "90m",
}


def test_lifecycle_over_grpc(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    create_tenant(plugin, "acme", ["acme.com"])
    original = live(emulator, "acme")

    inputs, failures = plugin.check(urn(), {}, SESSION)
    assert failures == []
    assert inputs["session_token_expiration"] == "15m" and inputs["inactivity_time"] == "90m"
    start = emulator.stats()["total"]
    created = plugin.create(urn(), inputs)
    assert created.id == "acme" and emulator.stats()["total"] - start == 2
    stored = live(emulator, "acme")
    assert stored["enabled"] is True and stored["enableInactivity"] is True
    assert (stored["refreshTokenExpiration"], stored["refreshTokenExpirationUnit"]) == (12, "hours")
    assert (stored["inactivityTime"], stored["inactivityTimeUnit"]) == (90, "minutes")

    # The same durations written differently: no diff.
    same, _ = plugin.check(
        urn(), inputs, {**SESSION, "session_token_expiration": "15 minutes", "inactivity_time": 90}
    )
    assert plugin.diff("acme", urn(), created.properties, same).changes == DiffChanges.NONE

    # A console edit appears in the refresh (inputs included), and the update puts it back.
    emulator.state.update_settings(
        {**stored, "sessionTokenExpiration": 1, "sessionTokenExpirationUnit": "hours"}
    )
    refreshed = plugin.read("acme", urn(), created.properties)
    assert refreshed.inputs is not None and refreshed.inputs["session_token_expiration"] == "1h"
    assert plugin.diff("acme", urn(), refreshed.properties, same).changes == DiffChanges.SOME
    updated = plugin.update("acme", urn(), refreshed.properties, same)
    assert (
        live(emulator, "acme")["sessionTokenExpiration"],
        live(emulator, "acme")["sessionTokenExpirationUnit"],
    ) == (
        15,
        "minutes",
    )
    assert updated.properties["settings_before"] == created.properties["settings_before"]

    plugin.delete("acme", urn(), updated.properties)
    assert live(emulator, "acme") == original


def test_bad_durations_fail_check_with_no_request(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    before = emulator.stats()["total"]
    _, failures = plugin.check(
        urn(), {}, {"tenant_id": "acme", "session_token_expiration": "30s", "inactivity_time": "1.5h"}
    )
    assert {prop for prop, _ in failures} == {"session_token_expiration", "inactivity_time"}
    assert emulator.stats()["total"] == before


def test_settings_of_a_deleted_tenant_are_dropped_by_refresh(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    create_tenant(plugin, "acme", [])
    inputs, _ = plugin.check(urn(), {}, {"tenant_id": "acme", "jit_disabled": True})
    created = plugin.create(urn(), inputs)
    emulator.state.remove_tenant("acme")
    assert plugin.read("acme", urn(), created.properties).id is None
    plugin.delete("acme", urn(), created.properties)  # already gone: success


def test_create_for_a_missing_tenant_fails_with_the_fix(plugin: DynamicPlugin) -> None:
    inputs, _ = plugin.check(urn(), {}, {"tenant_id": "ghost", "jit_disabled": True})
    with pytest.raises(PluginError) as info:
        plugin.create(urn(), inputs)
    assert "does not exist" in info.value.message and "create it first" in info.value.message


def test_refresh_costs_one_request_per_settings(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    states = []
    for i in range(6):
        create_tenant(plugin, f"t{i}", [])
        inputs, _ = plugin.check(urn(f"t{i}"), {}, {"tenant_id": f"t{i}", "jit_disabled": True})
        states.append(plugin.create(urn(f"t{i}"), inputs))
    before = emulator.stats()["total"]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        reads = list(pool.map(lambda s: plugin.read(s.id, urn(s.id), s.properties), states))
    assert [r.id for r in reads] == [s.id for s in states]
    assert emulator.stats()["total"] - before == 6  # Descope has no list of settings: one GET each


def test_tenant_and_settings_updates_in_one_plugin_process_both_land(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    """What `pulumi up` does when a program changes tenants' domains and their session lifetimes at
    once: Tenant and TenantSettings updates in flight together in one plugin process (4 at a time,
    as the plugin's thread pool runs them). Every change lands, nothing else moves."""
    ids = [f"t{i}" for i in range(6)]
    tenant_outs = {t: create_tenant(plugin, t, [f"{t}.com"]) for t in ids}
    settings_outs = {}
    for t in ids:
        inputs, _ = plugin.check(
            urn(t), {}, {"tenant_id": t, "session_token_expiration": "15m", "jit_disabled": True}
        )
        settings_outs[t] = plugin.create(urn(t), inputs).properties

    def change_domains(t: str) -> None:
        news = {"__provider": TENANT_BLOB, "name": t.title(), "tenant_id": t}
        news["self_provisioning_domains"] = [f"{t}.com", f"{t}.org"]
        inputs, _ = plugin.check(urn_for(TENANT_TYPE, t), {}, news)
        tenant_olds = {**tenant_outs[t], "__provider": TENANT_BLOB}
        plugin.update(t, urn_for(TENANT_TYPE, t), tenant_olds, {**inputs, "__provider": TENANT_BLOB})

    def change_lifetime(t: str) -> None:
        inputs, _ = plugin.check(
            urn(t), {}, {"tenant_id": t, "session_token_expiration": "2h", "jit_disabled": True}
        )
        plugin.update(t, urn(t), settings_outs[t], inputs)

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(job, t) for t in ids for job in (change_lifetime, change_domains)]
        for future in futures:
            future.result()
    for t in ids:
        settings = live(emulator, t)
        assert settings["selfProvisioningDomains"] == [f"{t}.com", f"{t}.org"]
        assert (settings["sessionTokenExpiration"], settings["sessionTokenExpirationUnit"]) == (2, "hours")
        assert settings["JITDisabled"] is True and settings["enabled"] is False
        assert emulator.state.get_tenant(t)["name"] == t.title()  # type: ignore[index]
