"""User and TenantMembership through the real `python -m pulumi.dynamic` plugin over gRPC, with the
blobs the sdk classes produce, against the emulator: the request cost of each operation, memberships
that record what was there and take back only what they added, an unknown login id refused at
preview, a console role removal seen at refresh, and personal data only where the program put it."""

from __future__ import annotations

from typing import Any

import pytest
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic.tenant_membership import _PROVIDER as MEMBERSHIP
from pulumi_descope_dynamic.user import _PROVIDER as USER

from tests.harness import CLEAN_ENV, DynamicPlugin, dynamic_type, urn_for
from tests.harness.fixtures import PluginFactory


def user_urn(name: str) -> str:
    return urn_for(dynamic_type("descope", "User"), name)


def membership_urn(name: str) -> str:
    return urn_for(dynamic_type("descope", "TenantMembership"), name)


def _plugin(running_plugin: PluginFactory, emulator: EmulatorServer, blob: str) -> DynamicPlugin:
    config = {
        "descope:projectId": emulator.project_id,
        "descope:managementKey": emulator.management_key,
        "descope:baseUrl": emulator.url,
    }
    return running_plugin(blob, config=config, secret_keys=["descope:managementKey"], env=CLEAN_ENV)


@pytest.fixture
def users(running_plugin: PluginFactory, emulator: EmulatorServer) -> DynamicPlugin:
    return _plugin(running_plugin, emulator, USER)


@pytest.fixture
def memberships(running_plugin: PluginFactory, emulator: EmulatorServer) -> DynamicPlugin:
    return _plugin(running_plugin, emulator, MEMBERSHIP)


@pytest.fixture
def acme(emulator: EmulatorServer) -> str:
    store = emulator.state
    tenant_id: str = store.create_tenant({"id": "acme", "name": "Acme"})["id"]
    store.create_role({"name": "Support", "tenantId": tenant_id})
    store.create_role({"name": "Viewer", "tenantId": tenant_id})
    return tenant_id


def total(emulator: EmulatorServer) -> int:
    return int(emulator.stats()["total"])


def routes(emulator: EmulatorServer) -> dict[str, Any]:
    return dict(emulator.stats()["requests"])


def test_user_create_update_delete_and_request_cost(
    users: DynamicPlugin, emulator: EmulatorServer, acme: str
) -> None:
    program = {
        "login_id": "admin@acme.example",
        "email": "admin@acme.example",
        "display_name": "Acme Admin",
        "invite": True,
        "tenants": {acme: ["Tenant Admin"]},
    }
    inputs, failures = users.check(user_urn("admin"), {}, program)
    assert failures == []
    start = total(emulator)
    created = users.create(user_urn("admin"), inputs)
    assert total(emulator) - start == 2  # the license handshake, the create (tenants and roles in it)
    assert created.id == "admin@acme.example"
    live = emulator.state.get_user("admin@acme.example")
    assert live is not None and live["status"] == "invited"
    assert live["userTenants"][0]["tenantId"] == acme and live["userTenants"][0]["roleNames"] == [
        "Tenant Admin"
    ]
    assert created.properties["user_id"] == live["userId"]
    # Personal data the program did not set stays out of the state.
    assert created.properties.get("phone") is None and created.properties.get("given_name") is None

    # A console role removal shows at refresh and an update puts it back.
    emulator.state.change_user_roles(
        {"loginId": "admin@acme.example", "tenantId": acme, "roleNames": ["Tenant Admin"]}, how="remove"
    )
    read = users.read(created.id, user_urn("admin"), created.properties, inputs)
    assert read.properties["tenants"] == {acme: []}
    diff = users.diff(created.id, user_urn("admin"), read.properties, inputs)
    assert diff.changes
    start = total(emulator)
    users.update(created.id, user_urn("admin"), read.properties, inputs)
    assert total(emulator) - start == 2  # load, add the role
    assert emulator.state.get_user("admin@acme.example")["userTenants"][0]["roleNames"] == ["Tenant Admin"]

    start = total(emulator)
    users.delete(created.id, user_urn("admin"), {**created.properties, **inputs})
    assert total(emulator) - start == 2  # look, delete
    assert emulator.state.get_user("admin@acme.example") is None


def test_user_refused_at_preview(users: DynamicPlugin) -> None:
    _, failures = users.check(user_urn("u"), {}, {"login_id": "svc@acme.example", "invite": True})
    assert [f[0] for f in failures] == ["invite"] and "email or phone" in failures[0][1]


def test_adopted_user_keeps_what_it_had(users: DynamicPlugin, emulator: EmulatorServer, acme: str) -> None:
    emulator.state.users.create(
        {
            "loginId": "ops@acme.example",
            "phone": "+15555550100",
            "userTenants": [{"tenantId": acme, "roleNames": ["Viewer"]}],
        }
    )
    program = {"login_id": "ops@acme.example", "adopt": True, "tenants": {acme: ["Viewer", "Support"]}}
    inputs, _ = users.check(user_urn("ops"), {}, program)
    created = users.create(user_urn("ops"), inputs)
    assert created.properties["adopted"] is True and created.properties["tenants_before"] == {
        acme: ["Viewer"]
    }
    assert created.properties.get("phone") is None  # the user's phone is not the program's
    assert sorted(emulator.state.get_user("ops@acme.example")["userTenants"][0]["roleNames"]) == [
        "Support",
        "Viewer",
    ]
    users.delete(created.id, user_urn("ops"), {**created.properties, **inputs})
    left = emulator.state.get_user("ops@acme.example")
    assert left is not None and left["userTenants"][0]["roleNames"] == ["Viewer"]


def test_membership_adds_and_takes_back_only_what_it_added(
    memberships: DynamicPlugin, emulator: EmulatorServer, acme: str
) -> None:
    store = emulator.state
    store.users.create({"loginId": "new@vendor.example"})
    store.users.create(
        {"loginId": "old@vendor.example", "userTenants": [{"tenantId": acme, "roleNames": ["Viewer"]}]}
    )

    # Not a member before: the membership and the roles are added, then all of it removed.
    inputs, failures = memberships.check(
        membership_urn("new"), {}, {"tenant_id": acme, "login_id": "new@vendor.example", "roles": ["Support"]}
    )
    assert failures == []
    start = total(emulator)
    created = memberships.create(membership_urn("new"), inputs)
    assert total(emulator) - start == 3  # load, add to the tenant, add the roles
    assert created.id == f"{acme}/new@vendor.example" and created.properties["member_before"] is False
    assert store.get_user("new@vendor.example")["userTenants"][0]["roleNames"] == ["Support"]
    start = total(emulator)
    memberships.delete(created.id, membership_urn("new"), {**created.properties, **inputs})
    assert total(emulator) - start == 2  # load, remove from the tenant
    assert store.get_user("new@vendor.example")["userTenants"] == []

    # Already a member with Viewer: only Support is added, and only Support is taken back.
    inputs, _ = memberships.check(
        membership_urn("old"),
        {},
        {"tenant_id": acme, "login_id": "old@vendor.example", "roles": ["Support", "Viewer"]},
    )
    start = total(emulator)
    created = memberships.create(membership_urn("old"), inputs)
    assert total(emulator) - start == 2  # load, add the missing role
    assert created.properties["member_before"] is True and created.properties["roles_before"] == ["Viewer"]

    # A console role removal shows at refresh; the update puts it back.
    store.change_user_roles(
        {"loginId": "old@vendor.example", "tenantId": acme, "roleNames": ["Support"]}, how="remove"
    )
    read = memberships.read(created.id, membership_urn("old"), created.properties, inputs)
    assert read.properties["roles"] == ["Viewer"]
    memberships.update(created.id, membership_urn("old"), read.properties, inputs)
    assert sorted(store.get_user("old@vendor.example")["userTenants"][0]["roleNames"]) == [
        "Support",
        "Viewer",
    ]

    memberships.delete(created.id, membership_urn("old"), {**created.properties, **inputs})
    assert store.get_user("old@vendor.example")["userTenants"] == [
        {"tenantId": acme, "roleNames": ["Viewer"], "tenantName": "Acme"}
    ]


def test_membership_of_unknown_user_refused_at_preview(
    memberships: DynamicPlugin, emulator: EmulatorServer, acme: str
) -> None:
    _, failures = memberships.check(
        membership_urn("ghost"),
        {},
        {"tenant_id": acme, "login_id": "ghost@vendor.example", "roles": ["Support"]},
    )
    assert [f[0] for f in failures] == ["login_id"]
    assert "never creates" in failures[0][1] and "descope.User" in failures[0][1]
    assert emulator.state.user_count() == 0


def test_lost_create_answer_makes_one_user(users: DynamicPlugin, emulator: EmulatorServer, acme: str) -> None:
    # The create is committed, then the connection drops: the retry finds the user and adopts it.
    emulator.app.faults.enqueue("lost_response", method="POST", path="/v1/mgmt/user/create")
    inputs, _ = users.check(user_urn("svc"), {}, {"login_id": "svc@acme.example", "tenants": {acme: []}})
    created = users.create(user_urn("svc"), inputs)
    assert created.id == "svc@acme.example" and emulator.state.user_count() == 1
    assert emulator.stats()["faults"]["lost_response"] == 1
    assert sum(routes(emulator)["POST /v1/mgmt/user/create"].values()) == 1  # never sent twice
    assert created.properties["adopted"] is False  # ours: deleting the resource deletes the user


def test_membership_delete_keeps_roles_others_added_since(
    memberships: DynamicPlugin, emulator: EmulatorServer, acme: str
) -> None:
    store = emulator.state
    store.users.create({"loginId": "eng@vendor.example"})
    inputs, _ = memberships.check(
        membership_urn("eng"), {}, {"tenant_id": acme, "login_id": "eng@vendor.example", "roles": ["Support"]}
    )
    created = memberships.create(membership_urn("eng"), inputs)
    # Someone gives the engineer another role in the console: the membership is no longer only ours.
    store.change_user_roles({"loginId": "eng@vendor.example", "tenantId": acme, "roleNames": ["Viewer"]})
    memberships.delete(created.id, membership_urn("eng"), {**created.properties, **inputs})
    assert store.get_user("eng@vendor.example")["userTenants"][0]["roleNames"] == ["Viewer"]


def test_adopted_user_newly_named_tenant_is_kept_at_delete(
    users: DynamicPlugin, emulator: EmulatorServer, acme: str
) -> None:
    store = emulator.state
    store.create_tenant({"id": "globex", "name": "Globex"})
    store.users.create({"loginId": "ops@acme.example", "userTenants": [{"tenantId": "globex"}]})
    first, _ = users.check(user_urn("ops"), {}, {"login_id": "ops@acme.example", "adopt": True})
    created = users.create(user_urn("ops"), first)
    # The program names globex (where the user already was) only later.
    later, _ = users.check(
        user_urn("ops"),
        first,
        {"login_id": "ops@acme.example", "adopt": True, "tenants": {"globex": ["Tenant Admin"]}},
    )
    updated = users.update(created.id, user_urn("ops"), created.properties, later)
    assert updated.properties["tenants_before"] == {"globex": []}
    users.delete(created.id, user_urn("ops"), {**updated.properties, **later})
    assert store.get_user("ops@acme.example")["userTenants"] == [
        {"tenantId": "globex", "roleNames": [], "tenantName": "Globex"}
    ]


def test_membership_role_named_later_that_the_user_had_is_kept(
    memberships: DynamicPlugin, emulator: EmulatorServer, acme: str
) -> None:
    store = emulator.state
    store.users.create(
        {"loginId": "eng@vendor.example", "userTenants": [{"tenantId": acme, "roleNames": ["Viewer"]}]}
    )
    first, _ = memberships.check(
        membership_urn("eng"), {}, {"tenant_id": acme, "login_id": "eng@vendor.example", "roles": ["Support"]}
    )
    created = memberships.create(membership_urn("eng"), first)
    later, _ = memberships.check(
        membership_urn("eng"),
        first,
        {"tenant_id": acme, "login_id": "eng@vendor.example", "roles": ["Support", "Viewer"]},
    )
    updated = memberships.update(created.id, membership_urn("eng"), created.properties, later)
    assert updated.properties["roles_before"] == ["Viewer"]
    memberships.delete(created.id, membership_urn("eng"), {**updated.properties, **later})
    assert store.get_user("eng@vendor.example")["userTenants"][0]["roleNames"] == ["Viewer"]
