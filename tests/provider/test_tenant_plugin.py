"""The Tenant provider through the real `python -m pulumi.dynamic` plugin over gRPC, with the blob the
sdk class produces, against the emulator: what the Pulumi engine does, call by call."""

from __future__ import annotations

import concurrent.futures
from typing import Any

import pytest
import requests
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic.tenant import _PROVIDER

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

TYPE = dynamic_type("descope", "Tenant")


def urn(name: str = "acme") -> str:
    return urn_for(TYPE, name)


def config_for(emulator: EmulatorServer, **extra: str) -> dict[str, str]:
    return {
        "descope:projectId": emulator.project_id,
        "descope:managementKey": emulator.management_key,
        "descope:baseUrl": emulator.url,
        **extra,
    }


@pytest.fixture
def plugin(running_plugin: PluginFactory, emulator: EmulatorServer) -> DynamicPlugin:
    return running_plugin(
        _PROVIDER, config=config_for(emulator), secret_keys=["descope:managementKey"], env=CLEAN_ENV
    )


def api(emulator: EmulatorServer, method: str, path: str, **kwargs: Any) -> Any:
    """An out-of-band change, as somebody in the Descope console (or a script) would make it."""
    response = requests.request(method, emulator.url + path, headers=emulator.headers, timeout=10, **kwargs)
    response.raise_for_status()
    return response.json() if response.content.strip() else None


def live(emulator: EmulatorServer, tenant_id: str) -> dict[str, Any]:
    return api(emulator, "GET", "/v1/mgmt/tenant", params={"id": tenant_id})  # type: ignore[no-any-return]


def all_tenants(emulator: EmulatorServer) -> list[dict[str, Any]]:
    return api(emulator, "GET", "/v1/mgmt/tenant/all")["tenants"]  # type: ignore[no-any-return]


def api_requests(emulator: EmulatorServer) -> int:
    return int(requests.get(emulator.url + "/emulator/stats", timeout=5).json()["total"])


def create(plugin: DynamicPlugin, news: dict[str, Any], name: str = "acme") -> tuple[str, dict[str, Any]]:
    inputs, failures = plugin.check(urn(name), {}, news)
    assert failures == []
    created = plugin.create(urn(name), inputs)
    return created.id, created.properties


ACME = {
    "name": "Acme Corp",
    "tenant_id": "acme",
    "self_provisioning_domains": ["Acme.com", "acme.io"],
    "custom_attributes": {"plan": "gold", "seats": 5},
    "enforce_sso": False,
}


def test_full_lifecycle(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    tenant_id, outs = create(plugin, ACME)
    assert tenant_id == "acme"
    assert emulator.stats()["total"] == 2  # the plugin's license handshake, then a create is one request
    stored = live(emulator, "acme")
    assert stored["name"] == "Acme Corp"
    assert sorted(stored["selfProvisioningDomains"]) == ["acme.com", "acme.io"]
    assert stored["customAttributes"] == {"plan": "gold", "seats": 5}
    assert isinstance(stored["customAttributes"]["seats"], int)  # not 5.0: the wire's float is undone
    # One request per create: the created time arrives with the first read (refresh).
    assert "created_time" not in outs and outs["auth_type"] == "none"
    refreshed = plugin.read("acme", urn(), outs)
    assert refreshed.properties["created_time"] == stored["createdTime"]

    # Unchanged program: no diff.
    inputs, _ = plugin.check(urn(), ACME, ACME)
    assert plugin.diff("acme", urn(), outs, inputs).changes == DiffChanges.NONE

    # Rename: an in-place update.
    renamed = {**ACME, "name": "Acme Inc"}
    inputs, _ = plugin.check(urn(), ACME, renamed)
    diff = plugin.diff("acme", urn(), outs, inputs)
    assert diff.changes == DiffChanges.SOME and diff.replaces == []
    updated = plugin.update("acme", urn(), outs, inputs)
    assert live(emulator, "acme")["name"] == "Acme Inc"
    assert updated.properties["name"] == "Acme Inc"

    read = plugin.read("acme", urn(), updated.properties)
    assert read.id == "acme" and read.properties["name"] == "Acme Inc"

    plugin.delete("acme", urn(), updated.properties)
    assert all_tenants(emulator) == []


def test_tenant_id_change_is_a_delete_before_replace(plugin: DynamicPlugin) -> None:
    _, outs = create(plugin, ACME)
    inputs, _ = plugin.check(urn(), ACME, {**ACME, "tenant_id": "acme-2"})
    diff = plugin.diff("acme", urn(), outs, inputs)
    assert diff.replaces == ["tenant_id"] and diff.delete_before_replace is True


def test_drift_edit_is_read_back_and_restored(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    _, outs = create(plugin, ACME)
    console_edit = {**live(emulator, "acme"), "name": "Renamed in console", "enforceSSO": True}
    api(emulator, "POST", "/v1/mgmt/tenant/update", json=console_edit)

    refreshed = plugin.read("acme", urn(), outs)
    assert refreshed.properties["name"] == "Renamed in console"
    # Refreshed inputs hold exactly the managed fields: the drift shows as that field only.
    assert refreshed.inputs is not None
    assert refreshed.inputs["name"] == "Renamed in console"
    assert refreshed.inputs["enforce_sso"] is True
    assert {k: v for k, v in refreshed.inputs.items() if k not in ("name", "enforce_sso")} == {
        k: v for k, v in plugin.check(urn(), {}, ACME).inputs.items() if k not in ("name", "enforce_sso")
    }

    inputs, _ = plugin.check(urn(), refreshed.inputs, ACME)
    assert plugin.diff("acme", urn(), refreshed.properties, inputs).changes == DiffChanges.SOME
    plugin.update("acme", urn(), refreshed.properties, inputs)
    restored = live(emulator, "acme")
    assert restored["name"] == "Acme Corp" and restored["enforceSSO"] is False


def test_drift_delete_drops_the_resource(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    _, outs = create(plugin, ACME)
    api(emulator, "POST", "/v1/mgmt/tenant/delete", json={"id": "acme", "cascade": False})
    assert plugin.read("acme", urn(), outs).id is None
    assert "no longer exists" in plugin.logs()


def test_create_of_existing_tenant_fails_and_adopt_takes_it_over(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    api(emulator, "POST", "/v1/mgmt/tenant/create", json={"id": "acme", "name": "Legacy Acme"})
    with pytest.raises(PluginError) as info:
        create(plugin, ACME)
    assert "adopt=True" in info.value.message
    # What a plain rerun of an interrupted `pulumi up` meets for every object it made: the recovery.
    assert "pulumi up --config descope:adoptExisting=true" in info.value.message

    tenant_id, outs = create(plugin, {**ACME, "adopt": True})
    assert tenant_id == "acme"
    assert [t["id"] for t in all_tenants(emulator)] == ["acme"]
    assert live(emulator, "acme")["name"] == "Acme Corp"
    assert outs["adopt"] is True


def test_bad_input_fails_check_with_no_request_reaching_descope(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    before = api_requests(emulator)
    _, failures = plugin.check(urn(), {}, {"name": "", "self_provisioning_domains": ["not a domain"]})
    assert {prop for prop, _ in failures} == {"name", "self_provisioning_domains"}
    assert api_requests(emulator) == before


def test_missing_credentials_name_both_ways_to_set_them(
    running_plugin: PluginFactory, emulator: EmulatorServer
) -> None:
    plugin = running_plugin(_PROVIDER, config={"descope:baseUrl": emulator.url}, env=CLEAN_ENV)
    assert plugin.check(urn(), {}, ACME).failures == []  # preview still validates
    with pytest.raises(PluginError) as info:
        create(plugin, ACME)
    assert "descope:projectId" in info.value.message and "DESCOPE_PROJECT_ID" in info.value.message
    assert all_tenants(emulator) == []


def test_refresh_of_many_tenants_costs_one_load_all(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    states = [create(plugin, {"name": f"Tenant {i}", "tenant_id": f"t{i}"}, name=f"t{i}") for i in range(24)]
    before = emulator.stats()["requests"]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:  # the engine's parallelism
        reads = list(pool.map(lambda state: plugin.read(state[0], urn(state[0]), state[1]), states))
    assert [r.id for r in reads] == [s[0] for s in states]
    after = emulator.stats()["requests"]
    grown = {
        route: sum(after[route].values()) - sum(before.get(route, {}).values())
        for route in after
        if sum(after[route].values()) != sum(before.get(route, {}).values())
    }
    assert grown == {"GET /v1/mgmt/tenant/all": 1}


def test_management_key_is_nowhere_in_blob_properties_or_logs(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    key = emulator.management_key
    blob = provider_blob(_PROVIDER)
    tenant_id, outs = create(plugin, ACME)
    read = plugin.read(tenant_id, urn(), outs)
    with pytest.raises(PluginError) as info:
        create(plugin, ACME, name="dup")  # an error path too
    for text in (
        blob,
        repr(outs),
        repr(read.properties),
        repr(read.inputs),
        info.value.message,
        plugin.logs(),
    ):
        assert key not in text
