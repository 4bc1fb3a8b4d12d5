"""Role and Permission through the real `python -m pulumi.dynamic` plugin over gRPC, with the blobs
the sdk classes produce, against the emulator: create, rename, permission change, tenant scope,
out-of-band edit and delete, adoption, built-ins."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic.permission import _PROVIDER as PERMISSION_PROVIDER
from pulumi_descope_dynamic.role import _PROVIDER as ROLE_PROVIDER

from tests.harness import CLEAN_ENV, DiffChanges, DynamicPlugin, PluginError, dynamic_type, urn_for
from tests.harness.fixtures import PluginFactory


def role_urn(name: str) -> str:
    return urn_for(dynamic_type("descope", "Role"), name)


def permission_urn(name: str) -> str:
    return urn_for(dynamic_type("descope", "Permission"), name)


def api(emulator: EmulatorServer, method: str, path: str, **kwargs: Any) -> Any:
    """An out-of-band change, as somebody in the Descope console (or a script) would make it."""
    response = requests.request(method, emulator.url + path, headers=emulator.headers, timeout=10, **kwargs)
    response.raise_for_status()
    return response.json() if response.content.strip() else None


def live_roles(emulator: EmulatorServer) -> dict[tuple[str, str], dict[str, Any]]:
    roles = api(emulator, "GET", "/v1/mgmt/role/all")["roles"]
    return {(role.get("tenantId") or "", role["name"]): role for role in roles}


def live_permissions(emulator: EmulatorServer) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in api(emulator, "GET", "/v1/mgmt/permission/all")["permissions"]}


def requests_made(emulator: EmulatorServer) -> int:
    return int(emulator.stats()["total"])


@pytest.fixture
def roles(running_plugin: PluginFactory, emulator: EmulatorServer) -> DynamicPlugin:
    return _plugin(running_plugin, emulator, ROLE_PROVIDER)


@pytest.fixture
def permissions(running_plugin: PluginFactory, emulator: EmulatorServer) -> DynamicPlugin:
    return _plugin(running_plugin, emulator, PERMISSION_PROVIDER)


def _plugin(running_plugin: PluginFactory, emulator: EmulatorServer, provider: Any) -> DynamicPlugin:
    config = {
        "descope:projectId": emulator.project_id,
        "descope:managementKey": emulator.management_key,
        "descope:baseUrl": emulator.url,
    }
    return running_plugin(provider, config=config, secret_keys=["descope:managementKey"], env=CLEAN_ENV)


def create(plugin: DynamicPlugin, urn: str, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    inputs, failures = plugin.check(urn, {}, news)
    assert failures == []
    created = plugin.create(urn, inputs)
    return created.id, created.properties


def change(
    plugin: DynamicPlugin, id_: str, urn: str, outs: dict[str, Any], old: dict[str, Any], new: dict[str, Any]
) -> tuple[DiffChanges, list[str], dict[str, Any]]:
    inputs, failures = plugin.check(urn, old, new)
    assert failures == []
    diff = plugin.diff(id_, urn, outs, inputs)
    updated = (
        plugin.update(id_, urn, outs, inputs)
        if diff.changes == DiffChanges.SOME and not diff.replaces
        else None
    )
    return diff.changes, diff.replaces, updated.properties if updated else outs


def test_permission_lifecycle_renames_in_place(permissions: DynamicPlugin, emulator: EmulatorServer) -> None:
    news = {"name": "Read invoices", "description": "See invoices"}
    perm_id, outs = create(permissions, permission_urn("read"), news)
    assert live_permissions(emulator)["Read invoices"]["description"] == "See invoices"
    assert outs["permission_id"] == perm_id

    renamed = {**news, "name": "View invoices"}
    changes, replaces, outs = change(permissions, perm_id, permission_urn("read"), outs, news, renamed)
    assert changes == DiffChanges.SOME and replaces == []
    assert set(live_permissions(emulator)) >= {"View invoices"} and "Read invoices" not in live_permissions(
        emulator
    )
    assert permissions.read(perm_id, permission_urn("read"), outs).id == perm_id  # same resource, renamed

    permissions.delete(perm_id, permission_urn("read"), outs)
    assert "View invoices" not in live_permissions(emulator)
    permissions.delete(perm_id, permission_urn("read"), outs)  # already gone: success


def test_system_permissions_are_refused_at_preview_without_a_request(
    permissions: DynamicPlugin, emulator: EmulatorServer
) -> None:
    _, failures = permissions.check(permission_urn("imp"), {}, {"name": "Impersonate"})
    assert failures and failures[0][0] == "name" and "system permission" in failures[0][1]
    assert requests_made(emulator) == 0


def test_role_lifecycle_rename_and_permissions(
    roles: DynamicPlugin, permissions: DynamicPlugin, emulator: EmulatorServer
) -> None:
    create(permissions, permission_urn("read"), {"name": "read"})
    create(permissions, permission_urn("write"), {"name": "write"})
    news = {"name": "Editor", "description": "Edits", "permission_names": ["write", "read"]}
    role_id, outs = create(roles, role_urn("editor"), news)
    assert outs["role_id"] == role_id and outs["permission_names"] == ["read", "write"]
    assert live_roles(emulator)[("", "Editor")]["id"] == role_id

    # Unchanged program, reordered set: no diff.
    inputs, _ = roles.check(role_urn("editor"), news, {**news, "permission_names": ["read", "write"]})
    assert roles.diff(role_id, role_urn("editor"), outs, inputs).changes == DiffChanges.NONE

    # A rename is an update in place: same id.
    renamed = {**news, "name": "Writer", "permission_names": ["write"]}
    changes, replaces, outs = change(roles, role_id, role_urn("editor"), outs, news, renamed)
    assert changes == DiffChanges.SOME and replaces == []
    writer = live_roles(emulator)[("", "Writer")]
    assert (
        writer["id"] == role_id
        and writer["permissionNames"] == ["write"]
        and writer["description"] == "Edits"
    )
    assert ("", "Editor") not in live_roles(emulator)

    roles.delete(role_id, role_urn("editor"), outs)
    assert ("", "Writer") not in live_roles(emulator)


def test_tenant_scoped_role_and_a_new_scope_replaces(roles: DynamicPlugin, emulator: EmulatorServer) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.state.create_tenant({"id": "beta", "name": "Beta"})
    news = {"name": "Admin", "tenant_id": "acme"}
    role_id, outs = create(roles, role_urn("acme-admin"), news)
    assert live_roles(emulator)[("acme", "Admin")]["id"] == role_id
    # The same name in another scope is another role.
    other_id, _ = create(roles, role_urn("project-admin"), {"name": "Admin"})
    assert other_id != role_id

    inputs, _ = roles.check(role_urn("acme-admin"), news, {**news, "tenant_id": "beta"})
    diff = roles.diff(role_id, role_urn("acme-admin"), outs, inputs)
    assert diff.replaces == ["tenant_id"] and diff.delete_before_replace


def test_console_edit_shows_after_refresh_and_deleted_role_is_dropped(
    roles: DynamicPlugin, emulator: EmulatorServer
) -> None:
    api(emulator, "POST", "/v1/mgmt/permission/create", json={"name": "read"})
    news = {"name": "Viewer", "permission_names": ["read"]}
    role_id, outs = create(roles, role_urn("viewer"), news)
    # Somebody adds a permission and a description in the console.
    api(emulator, "POST", "/v1/mgmt/permission/create", json={"name": "export"})
    api(
        emulator,
        "POST",
        "/v1/mgmt/role/update",
        json={
            "id": role_id,
            "newName": "Viewer",
            "description": "console",
            "permissionNames": ["read", "export"],
        },
    )
    refreshed = roles.read(role_id, role_urn("viewer"), outs)
    # Only the managed inputs come back as inputs: the preview shows exactly the drift.
    assert refreshed.inputs == {"name": "Viewer", "permission_names": ["export", "read"]}
    assert refreshed.properties["description"] == "console"
    inputs, _ = roles.check(role_urn("viewer"), refreshed.inputs, news)
    assert roles.diff(role_id, role_urn("viewer"), refreshed.properties, inputs).changes == DiffChanges.SOME
    # `up` puts the program's permissions back and keeps the console's description (not managed).
    roles.update(role_id, role_urn("viewer"), refreshed.properties, inputs)
    viewer = live_roles(emulator)[("", "Viewer")]
    assert viewer["permissionNames"] == ["read"] and viewer["description"] == "console"

    api(emulator, "POST", "/v1/mgmt/role/delete", json={"name": "Viewer"})
    assert roles.read(role_id, role_urn("viewer"), refreshed.properties).id is None


def test_deleting_a_permission_shows_in_the_roles_next_refresh(
    roles: DynamicPlugin, permissions: DynamicPlugin, emulator: EmulatorServer
) -> None:
    perm_id, perm_outs = create(permissions, permission_urn("export"), {"name": "export"})
    role_id, outs = create(roles, role_urn("r"), {"name": "R", "permission_names": ["export"]})
    permissions.delete(perm_id, permission_urn("export"), perm_outs)
    refreshed = roles.read(role_id, role_urn("r"), outs)
    assert refreshed.inputs == {"name": "R", "permission_names": []}


def test_adopt_takes_over_an_existing_role_and_built_ins_are_never_deleted(
    roles: DynamicPlugin, emulator: EmulatorServer
) -> None:
    api(emulator, "POST", "/v1/mgmt/role/create", json={"name": "Legacy", "description": "old"})
    role_id, outs = create(roles, role_urn("legacy"), {"name": "Legacy", "description": "new", "adopt": True})
    legacy = live_roles(emulator)[("", "Legacy")]
    assert legacy["id"] == role_id == outs["role_id"] and legacy["description"] == "new"

    # Without adopt, an existing role is a clear error that points to adopt=True.
    api(emulator, "POST", "/v1/mgmt/role/create", json={"name": "Taken"})
    inputs, _ = roles.check(role_urn("taken"), {}, {"name": "Taken"})
    with pytest.raises(PluginError) as info:
        roles.create(role_urn("taken"), inputs)
    assert "adopt=True" in info.value.summary

    # A built-in role can be managed only by adoption, and destroy leaves it in place.
    _, failures = roles.check(role_urn("ta"), {}, {"name": "Tenant Admin"})
    assert failures and "built-in" in failures[0][1]
    if ("", "Tenant Admin") not in live_roles(emulator):
        api(emulator, "POST", "/v1/mgmt/role/create", json={"name": "Tenant Admin"})
    admin_id, admin_outs = create(roles, role_urn("ta"), {"name": "Tenant Admin", "adopt": True})
    roles.delete(admin_id, role_urn("ta"), admin_outs)
    assert ("", "Tenant Admin") in live_roles(emulator)


def test_adopting_an_unchanged_role_writes_nothing_whatever_the_live_permission_order(
    roles: DynamicPlugin, emulator: EmulatorServer
) -> None:
    # Descope lists a role's permissions in the order they were granted; the program's set is sorted.
    api(emulator, "POST", "/v1/mgmt/permission/create", json={"name": "b.write"})
    api(emulator, "POST", "/v1/mgmt/permission/create", json={"name": "a.read"})
    api(
        emulator,
        "POST",
        "/v1/mgmt/role/create",
        json={"name": "Ops", "permissionNames": ["b.write", "a.read"]},
    )
    before = dict(emulator.stats()["requests"])
    create(roles, role_urn("ops"), {"name": "Ops", "permission_names": ["b.write", "a.read"], "adopt": True})
    sent = {route for route in emulator.stats()["requests"] if route not in before}
    # The look-up only (after the plugin's license handshake): no role/update.
    assert sent == {"POST /v1/mgmt/role/search", "GET /v1/mgmt/license"}


def test_updating_a_role_deleted_in_the_console_says_to_refresh(
    roles: DynamicPlugin, emulator: EmulatorServer
) -> None:
    role_id, outs = create(roles, role_urn("gone"), {"name": "Gone"})
    api(emulator, "POST", "/v1/mgmt/role/delete", json={"name": "Gone"})
    inputs, _ = roles.check(role_urn("gone"), {"name": "Gone"}, {"name": "Gone", "description": "new"})
    with pytest.raises(PluginError) as info:
        roles.update(role_id, role_urn("gone"), outs, inputs)
    assert "no longer exists in Descope" in info.value.summary and "pulumi refresh" in info.value.summary
