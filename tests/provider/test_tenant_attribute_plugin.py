"""TenantAttribute through the real `python -m pulumi.dynamic` plugin over gRPC, with the blob the sdk
class produces, against the emulator: the request cost of each operation, an existing attribute never
overwritten without adopt=True, keys this code does not model kept, and a delete refused while
tenants hold values unless the user consented."""

from __future__ import annotations

import concurrent.futures
from typing import Any

import pytest
import requests
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic.tenant import _PROVIDER as TENANT_PROVIDER
from pulumi_descope_dynamic.tenant_attribute import _PROVIDER

from tests.harness import (
    CLEAN_ENV,
    PROVIDER_KEY,
    DynamicPlugin,
    PluginError,
    dynamic_type,
    provider_blob,
    urn_for,
)
from tests.harness.fixtures import PluginFactory

PATH = "/v1/mgmt/tenant/attribute"
PLAN = {"name": "plan", "display_name": "Plan", "type": "singleselect", "select_options": ["pro", "free"]}


def urn(name: str = "plan") -> str:
    return urn_for(dynamic_type("descope", "TenantAttribute"), name)


@pytest.fixture
def plugin(running_plugin: PluginFactory, emulator: EmulatorServer) -> DynamicPlugin:
    config = {
        "descope:projectId": emulator.project_id,
        "descope:managementKey": emulator.management_key,
        "descope:baseUrl": emulator.url,
    }
    return running_plugin(_PROVIDER, config=config, secret_keys=["descope:managementKey"], env=CLEAN_ENV)


def api(emulator: EmulatorServer, method: str, path: str, **kwargs: Any) -> Any:
    """As a console (or a script) would: the raw API."""
    response = requests.request(method, emulator.url + path, headers=emulator.headers, timeout=10, **kwargs)
    response.raise_for_status()
    return response.json() if response.content.strip() else None


def total(emulator: EmulatorServer) -> int:
    return int(emulator.stats()["total"])


def test_create_update_adopt_and_their_request_cost(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    inputs, failures = plugin.check(urn(), {}, PLAN)
    assert failures == [] and inputs["select_options"] == ["free", "pro"]
    created = plugin.create(urn(), inputs)
    assert created.id == "plan"
    assert total(emulator) == 3  # the license handshake, a look (never overwrite an existing one), the write
    live = api(emulator, "GET", PATH, params={"name": "plan"})
    assert (live["displayName"], live["type"], sorted(live["options"])) == (
        "Plan",
        "singleselect",
        ["free", "pro"],
    )

    # A key this code does not model, set in the console, survives an update (a whole overwrite).
    api(emulator, "POST", PATH, json={**live, "viewPermissions": ["billing.read"]})
    start = total(emulator)
    news, _ = plugin.check(urn(), inputs, {**PLAN, "display_name": "Price plan"})
    plugin.update("plan", urn(), created.properties, news)
    assert total(emulator) - start == 2  # load, overwrite
    live = api(emulator, "GET", PATH, params={"name": "plan"})
    assert live["displayName"] == "Price plan" and live["viewPermissions"] == ["billing.read"]

    # A select becoming text without select_options in the program: its options go with it.
    start = total(emulator)
    text = {"name": "plan", "display_name": "Price plan", "type": "string"}
    as_text, failures = plugin.check(urn(), news, text)
    assert failures == []
    updated = plugin.update("plan", urn(), {**created.properties, **news}, as_text)
    assert total(emulator) - start == 2
    assert api(emulator, "GET", PATH, params={"name": "plan"})["options"] == []
    news = as_text
    plugin.update("plan", urn(), updated.properties, {**PLAN, "display_name": "Price plan"})

    # Another resource with the same name: refused, the live one untouched; adopted with adopt=True
    # without a write when it already is as declared.
    other, _ = plugin.check(urn("again"), {}, {**PLAN, "display_name": "Other"})
    with pytest.raises(PluginError) as info:
        plugin.create(urn("again"), other)
    assert "already exists" in info.value.summary and "adopt=True" in info.value.summary
    assert api(emulator, "GET", PATH, params={"name": "plan"})["displayName"] == "Price plan"
    start = total(emulator)
    same, _ = plugin.check(urn("again"), {}, {**PLAN, "display_name": "Price plan", "adopt": True})
    assert plugin.create(urn("again"), same).id == "plan"
    assert total(emulator) - start == 1  # the look only


def test_check_refuses_bad_definitions_without_a_request(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    _, failures = plugin.check(urn(), {}, {**PLAN, "select_options": []})
    assert any("needs select_options" in reason for _, reason in failures)
    _, failures = plugin.check(urn(), {}, {**PLAN, "type": "number"})
    assert any("only a select has options" in reason for _, reason in failures)
    _, failures = plugin.check(urn(), {}, {**PLAN, "name": "has space", "type": "text"})
    assert {prop for prop, _ in failures} == {"name", "type"}
    assert total(emulator) == 0


def test_delete_with_tenant_values_is_refused_naming_them_unless_consented(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    inputs, _ = plugin.check(urn(), {}, PLAN)
    created = plugin.create(urn(), inputs)
    api(
        emulator,
        "POST",
        "/v1/mgmt/tenant/create",
        json={"id": "acme", "name": "Acme", "customAttributes": {"plan": "pro"}},
    )

    with pytest.raises(PluginError) as info:
        plugin.delete("plan", urn(), created.properties)
    assert "'acme' (Acme) = 'pro'" in info.value.summary and "clear_tenant_values=True" in info.value.summary
    assert api(emulator, "GET", PATH, params={"name": "plan"})["name"] == "plan"

    start = total(emulator)
    plugin.delete("plan", urn(), {**created.properties, "clear_tenant_values": True})
    assert total(emulator) - start == 2  # the tenants (who loses a value), the delete
    assert api(emulator, "GET", "/v1/mgmt/tenant", params={"id": "acme"})["customAttributes"] == {}
    # Deleting what is already gone succeeds.
    plugin.delete("plan", urn(), created.properties)


def test_a_refresh_of_tenants_and_attributes_lists_the_tenants_once(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    """One plugin process serves every type of a stack: the attributes' refresh finds the attribute
    names in the tenant list the tenants' reads take, rather than listing the tenants again."""
    inputs, _ = plugin.check(urn(), {}, PLAN)
    attribute = plugin.create(urn(), inputs)
    tenant_blob = {PROVIDER_KEY: provider_blob(TENANT_PROVIDER)}
    tenants = []
    for index in range(4):
        tenant_urn = urn_for(dynamic_type("descope", "Tenant"), f"t{index}")
        declared = {"name": f"Tenant {index}", "tenant_id": f"t{index}", "custom_attributes": {"plan": "pro"}}
        news, failures = plugin.check(tenant_urn, {}, {**declared, **tenant_blob})
        assert failures == []
        created = plugin.create(tenant_urn, {**news, **tenant_blob})
        tenants.append((created.id, tenant_urn, {**created.properties, **tenant_blob}))

    before = emulator.stats()["requests"]
    reads = [(attribute.id, urn(), attribute.properties), *tenants]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:  # the engine's parallelism
        results = list(pool.map(lambda read: plugin.read(*read), reads))
    assert [result.id for result in results] == [read[0] for read in reads]
    after = emulator.stats()["requests"]
    grown = {
        route: sum(after[route].values()) - sum(before.get(route, {}).values())
        for route in after
        if sum(after[route].values()) != sum(before.get(route, {}).values())
    }
    # The tenants once for both types, and the one attribute the tenants hold values for.
    assert grown == {"GET /v1/mgmt/tenant/all": 1, "GET /v1/mgmt/tenant/attribute": 1}
