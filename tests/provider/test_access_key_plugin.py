"""The AccessKey provider through the real `python -m pulumi.dynamic` plugin over gRPC, with the blob the
sdk class produces, against the emulator: what the Pulumi engine does, call by call."""

from __future__ import annotations

import concurrent.futures
import time
from typing import Any

import pytest
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic.access_key import _PROVIDER
from pulumi_descope_dynamic_provider.api.access_keys import ACCESS_KEY_CREATE

from tests.harness import (
    CLEAN_ENV,
    PROVIDER_KEY,
    UNKNOWN,
    DiffChanges,
    DynamicPlugin,
    PluginError,
    dynamic_type,
    provider_blob,
    urn_for,
)
from tests.harness.fixtures import PluginFactory

TYPE = dynamic_type("descope", "AccessKey")


def urn(name: str = "ci") -> str:
    return urn_for(TYPE, name)


@pytest.fixture
def plugin(running_plugin: PluginFactory, emulator: EmulatorServer) -> DynamicPlugin:
    emulator.state.create_role({"name": "viewer"})
    emulator.state.create_role({"name": "deployer"})
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.state.create_tenant({"id": "globex", "name": "Globex"})
    config = {
        "descope:projectId": emulator.project_id,
        "descope:managementKey": emulator.management_key,
        "descope:baseUrl": emulator.url,
    }
    return running_plugin(_PROVIDER, config=config, secret_keys=["descope:managementKey"], env=CLEAN_ENV)


def routes_grown(emulator: EmulatorServer, before: dict[str, Any]) -> dict[str, int]:
    after = emulator.stats()["requests"]
    return {
        route: sum(after[route].values()) - sum(before.get(route, {}).values())
        for route in after
        if sum(after[route].values()) != sum(before.get(route, {}).values())
    }


def create(plugin: DynamicPlugin, news: dict[str, Any], name: str = "ci") -> tuple[str, dict[str, Any]]:
    inputs, failures = plugin.check(urn(name), {}, news)
    assert failures == []
    created = plugin.create(urn(name), inputs)
    return created.id, created.properties


def checked(plugin: DynamicPlugin, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    inputs, failures = plugin.check(urn(), olds, news)
    assert failures == []
    return inputs


def failures_of(
    plugin: DynamicPlugin, news: dict[str, Any], olds: dict[str, Any] | None = None
) -> dict[str, str]:
    return dict(plugin.check(urn(), olds or {}, news).failures)


CI = {
    "name": "ci",
    "description": "deploys billing",
    "tenant_roles": {"acme": ["viewer", "deployer", "viewer"]},
    "permitted_ips": ["10.0.0.0/8", "2001:DB8::/32"],
    "custom_claims": {"team": "billing", "level": 2},
}


def test_create_read_update_rotate_delete(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    keys = emulator.state.access_keys
    before = emulator.stats()["requests"]
    key_id, outs = create(plugin, CI)
    # A create is one request, after the plugin's once-per-process license handshake.
    assert routes_grown(emulator, before) == {f"POST {ACCESS_KEY_CREATE}": 1, "GET /v1/mgmt/license": 1}
    first_secret = outs["cleartext"]
    assert keys.verify(first_secret) == key_id
    assert outs["key_id"] == key_id and outs["client_id"] and outs["status"] == "active"
    assert outs["tenant_roles"] == {"acme": ["deployer", "viewer"]}
    assert outs["permitted_ips"] == ["10.0.0.0/8", "2001:db8::/32"]
    assert outs["expire_time"] == 0 and outs["created_time"] == keys.get(key_id)["createdTime"]  # type: ignore[index]

    # Unchanged program: no diff; a refresh keeps the cleartext it cannot see.
    inputs = checked(plugin, outs, CI)
    assert plugin.diff(key_id, urn(), outs, inputs).changes == DiffChanges.NONE
    read = plugin.read(key_id, urn(), outs)
    assert read.properties["cleartext"] == first_secret
    assert read.inputs is not None and "cleartext" not in read.inputs
    assert (
        plugin.diff(key_id, urn(), read.properties, checked(plugin, read.inputs, CI)).changes
        == DiffChanges.NONE
    )

    # In place: description, roles (switching to project roles), IPs and claims in one update request.
    changed = {
        **{k: v for k, v in CI.items() if k != "tenant_roles"},
        "description": "deploys everything",
        "role_names": ["viewer"],
        "permitted_ips": ["192.0.2.7"],
        "custom_claims": {"team": "platform"},
    }
    inputs = checked(plugin, read.inputs, changed)
    diff = plugin.diff(key_id, urn(), read.properties, inputs)
    assert diff.changes == DiffChanges.SOME and diff.replaces == []
    before = emulator.stats()["requests"]
    updated = plugin.update(key_id, urn(), read.properties, inputs).properties
    assert routes_grown(emulator, before) == {"POST /v1/mgmt/accesskey/update": 1}
    live = keys.get(key_id)
    assert live is not None
    assert live["description"] == "deploys everything" and live["roleNames"] == ["viewer"]
    assert live["keyTenants"] == [] and live["permittedIps"] == ["192.0.2.7"]
    assert live["customClaims"] == {"team": "platform"}
    assert updated["tenant_roles"] == {} and updated["cleartext"] == first_secret
    assert keys.verify(first_secret) == key_id  # an update does not touch the secret

    # Disable: deactivate only.
    disabled = {**changed, "disabled": True}
    before = emulator.stats()["requests"]
    updated = plugin.update(key_id, urn(), updated, checked(plugin, inputs, disabled)).properties
    assert routes_grown(emulator, before) == {"POST /v1/mgmt/accesskey/deactivate": 1}
    assert updated["status"] == "inactive" and updated["disabled"] is True
    assert keys.get(key_id)["status"] == "inactive"  # type: ignore[index]

    # Rotation: a changed trigger is an update that rotates; the old cleartext dies.
    rotating = {**disabled, "disabled": False, "rotation_triggers": {"rotated": "2026-11"}}
    inputs = checked(plugin, disabled, rotating)
    diff = plugin.diff(key_id, urn(), updated, inputs)
    assert diff.changes == DiffChanges.SOME and diff.replaces == []
    rotated = plugin.update(key_id, urn(), updated, inputs).properties
    assert rotated["cleartext"] != first_secret and keys.verify(rotated["cleartext"]) == key_id
    assert keys.verify(first_secret) is None
    assert rotated["status"] == "active" and rotated["rotation_triggers"] == {"rotated": "2026-11"}
    # The triggers survive a refresh (Descope does not store them): no rotation on the next up.
    read = plugin.read(key_id, urn(), rotated)
    assert read.properties["rotation_triggers"] == {"rotated": "2026-11"}
    assert read.properties["cleartext"] == rotated["cleartext"]
    assert read.inputs is not None
    assert plugin.diff(key_id, urn(), read.properties, checked(plugin, read.inputs, rotating)).changes == (
        DiffChanges.NONE
    )

    plugin.delete(key_id, urn(), read.properties)
    assert keys.ids() == []
    plugin.delete(key_id, urn(), read.properties)  # already gone: success
    assert "already gone" in plugin.logs()


def test_expire_time_and_user_change_replace_creating_the_new_key_first(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    key_id, outs = create(plugin, {**CI, "expire_time": "2099-01-01"})
    assert outs["expire_time"] == 4070908800
    assert emulator.state.access_keys.get(key_id)["expireTime"] == 4070908800  # type: ignore[index]
    for news in ({**CI, "expire_time": 4102444800}, CI, {**CI, "expire_time": "2099-01-01", "user_id": "U1"}):
        diff = plugin.diff(key_id, urn(), outs, checked(plugin, outs, news))
        assert diff.replaces and diff.delete_before_replace is False
    # The same instant written another way is no change.
    same = checked(plugin, outs, {**CI, "expire_time": "2099-01-01T01:00:00+01:00"})
    assert plugin.diff(key_id, urn(), outs, same).changes == DiffChanges.NONE


def test_check_failures_name_the_field_and_the_fix(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    before = emulator.stats()["total"]
    failures = failures_of(
        plugin,
        {
            "name": "",
            "role_names": ["viewer"],
            "tenant_roles": {"acme": ["viewer"]},
            "permitted_ips": ["10.0.0.5/8"],
            "expire_time": "2001-01-01",
            "disabled": "yes",
        },
    )
    assert set(failures) == {"name", "tenant_roles", "permitted_ips", "expire_time", "disabled"}
    assert "exclude each other" in failures["tenant_roles"]
    assert "10.0.0.0/8" in failures["permitted_ips"]
    assert "not in the future" in failures["expire_time"]
    assert (
        "not an IP address"
        in failures_of(plugin, {"name": "k", "permitted_ips": ["example.com"]})["permitted_ips"]
    )
    assert "ISO 8601" in failures_of(plugin, {"name": "k", "expire_time": "next week"})["expire_time"]
    assert emulator.stats()["total"] == before  # preview never calls Descope


def test_a_key_that_expired_since_it_was_created_still_previews_cleanly(plugin: DynamicPlugin) -> None:
    soon = int(time.time()) + 3600
    program = {**CI, "expire_time": soon}
    olds = checked(plugin, {}, program)
    olds["expire_time"] = int(time.time()) - 10  # as if recorded when it was still in the future
    assert failures_of(plugin, {**program, "expire_time": olds["expire_time"]}, olds) == {}


def test_preview_with_unknown_tenant_roles_passes(plugin: DynamicPlugin) -> None:
    _, failures = plugin.check(
        urn(), {}, {"name": "ci", "tenant_roles": UNKNOWN, "role_names": ["viewer"]}, preview=True
    )
    assert failures == []


def test_console_edits_show_after_a_refresh_and_are_put_back(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    key_id, outs = create(plugin, CI)
    emulator.state.access_keys.edit(
        key_id, keyTenants=[{"tenantId": "globex", "roleNames": ["viewer"]}], permittedIps=["0.0.0.0/0"]
    )
    read = plugin.read(key_id, urn(), outs)
    assert read.properties["tenant_roles"] == {"globex": ["viewer"]}
    assert read.properties["permitted_ips"] == ["0.0.0.0/0"]
    assert read.inputs is not None
    assert read.inputs["tenant_roles"] == {"globex": ["viewer"]} and read.inputs["permitted_ips"] == [
        "0.0.0.0/0"
    ]
    inputs = checked(plugin, read.inputs, CI)
    diff = plugin.diff(key_id, urn(), read.properties, inputs)
    assert diff.changes == DiffChanges.SOME and diff.replaces == []
    plugin.update(key_id, urn(), read.properties, inputs)
    live = emulator.state.access_keys.get(key_id)
    assert live is not None
    assert live["keyTenants"] == [
        {"tenantId": "acme", "tenantName": "Acme", "roleNames": ["deployer", "viewer"]}
    ]
    assert live["permittedIps"] == ["10.0.0.0/8", "2001:db8::/32"]


def test_a_key_deleted_in_the_console_is_dropped_with_a_warning_about_the_new_cleartext(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    key_id, outs = create(plugin, CI)
    emulator.state.access_keys.remove(key_id)
    assert plugin.read(key_id, urn(), outs).id is None
    assert "NEW cleartext" in plugin.logs()
    with pytest.raises(PluginError) as info:  # an update before the refresh says what to do
        plugin.update(key_id, urn(), outs, checked(plugin, outs, {**CI, "description": "x"}))
    assert "pulumi refresh" in info.value.message


def test_created_disabled_costs_a_deactivate_and_reads_back_inactive(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    key_id, outs = create(plugin, {**CI, "disabled": True})
    assert outs["status"] == "inactive" and outs["disabled"] is True
    assert emulator.state.access_keys.verify(outs["cleartext"]) is None  # inactive keys do not work
    read = plugin.read(key_id, urn(), outs)
    assert read.properties["disabled"] is True


def test_a_lost_create_answer_through_the_plugin_ends_with_one_usable_key(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    emulator.queue_fault("lost_response", method="POST", path=ACCESS_KEY_CREATE)
    key_id, outs = create(plugin, CI)
    assert emulator.state.access_keys.ids() == [key_id]
    assert emulator.state.access_keys.verify(outs["cleartext"]) == key_id
    assert outs["cleartext"] not in plugin.logs()


def test_refresh_of_many_keys_costs_one_search(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    states = [create(plugin, {"name": f"key {i}", "role_names": ["viewer"]}, name=f"k{i}") for i in range(12)]
    before = emulator.stats()["requests"]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        reads = list(pool.map(lambda state: plugin.read(state[0], urn(state[0]), state[1]), states))
    assert [r.id for r in reads] == [s[0] for s in states]
    assert all(r.properties["cleartext"] == s[1]["cleartext"] for r, s in zip(reads, states, strict=True))
    assert routes_grown(emulator, before) == {"POST /v1/mgmt/accesskey/search": 1}


def test_the_cleartext_is_nowhere_in_blob_logs_or_errors(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    blob = provider_blob(_PROVIDER)
    key_id, outs = create(plugin, CI)
    secret = outs["cleartext"]
    read = plugin.read(key_id, urn(), outs)
    rotated = plugin.update(
        key_id, urn(), outs, checked(plugin, outs, {**CI, "rotation_triggers": 1})
    ).properties
    with pytest.raises(PluginError) as info:  # an error path: a role Descope does not know
        plugin.update(
            key_id,
            urn(),
            rotated,
            checked(
                plugin, rotated, {**CI, "rotation_triggers": 1, "role_names": ["nope"], "tenant_roles": {}}
            ),
        )
    for text in (blob, repr(read.inputs), info.value.message, plugin.logs()):
        assert secret not in text and rotated["cleartext"] not in text


def test_get_reads_a_key_without_managing_it_and_has_no_cleartext(
    plugin: DynamicPlugin, emulator: EmulatorServer
) -> None:
    key_id, _ = create(plugin, CI)
    as_get = {PROVIDER_KEY: provider_blob(_PROVIDER)}  # what the engine sends for AccessKey.get()
    got = plugin.read(key_id, urn("got"), {}, inputs=as_get)
    assert got.id == key_id and got.properties["name"] == "ci" and got.properties.get("cleartext") is None
    with pytest.raises(PluginError) as info:
        plugin.read("Kmissing", urn("got"), {}, inputs=as_get)
    assert "does not exist" in info.value.message and "AccessKey.get()" in info.value.message
