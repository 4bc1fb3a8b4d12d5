"""The request bodies of the official Go SDK (github.com/descope/go-sdk), sent raw to the emulator:
tenants, tenant settings, permissions, roles and users.

The Go module proxy does not serve github.com/descope/go-sdk (``go list -m -versions`` answers 403,
"This module version is not available"), so no Go program can build from a clean clone. Instead these
bodies are written out exactly as the SDK's source builds them (descope/internal/mgmt/tenant.go,
role.go, permission.go, user.go and the structs of descope/types.go): a map of every field, where an
unset Go string is ``""``, an unset bool ``false``, an unset int ``0`` and a nil slice or map
``null``; the batch calls marshal structs whose ``omitempty`` tags drop zero values instead. The
answers are checked for the fields the SDK's structs decode (``int32`` times included).
"""

from __future__ import annotations

from typing import Any

from descope_emulator import EmulatorServer
from emu_support import api, assert_error
from go_shapes_support import (
    INT32_MAX,
    ok,
)


def go_tenant_request(tenant_id: str, name: str, **fields: Any) -> dict[str, Any]:
    """makeCreateUpdateTenantRequest: every field, zero values included (``parent`` only when set)."""
    return {
        "id": tenant_id,
        "name": name,
        "selfProvisioningDomains": None,
        "customAttributes": None,
        "enforceSSO": False,
        "enforceSSOExclusions": None,
        "disabled": False,
        "roleInheritance": "",
        **fields,
    }


def go_settings_request(tenant_id: str, **fields: Any) -> dict[str, Any]:
    """tenant.ConfigureSettings: every field of TenantSettings, zero values included."""
    return {
        "tenantId": tenant_id,
        "selfProvisioningDomains": None,
        "authType": "",
        "enabled": False,
        "refreshTokenExpiration": 0,
        "refreshTokenExpirationUnit": "",
        "sessionTokenExpiration": 0,
        "sessionTokenExpirationUnit": "",
        "stepupTokenExpiration": 0,
        "stepupTokenExpirationUnit": "",
        "enableInactivity": False,
        "inactivityTime": 0,
        "inactivityTimeUnit": "",
        "domains": None,
        "JITDisabled": False,
        **fields,
    }


def test_go_tenant_calls(emulator: EmulatorServer) -> None:
    generated = ok(emulator, "/v1/mgmt/tenant/create", go_tenant_request("", "Acme"))["id"]  # Create
    assert generated.startswith("T")
    ok(emulator, "/v1/mgmt/tenant/create", go_tenant_request("kid", "Kid", parent=generated))  # CreateWithID
    ok(
        emulator,
        "/v1/mgmt/tenant/update",
        go_tenant_request("kid", "Kid", selfProvisioningDomains=["kid.io"], roleInheritance="userOnly"),
    )
    kid = ok(emulator, "/v1/mgmt/tenant?id=kid", method="GET")
    assert (kid["parent"], kid["selfProvisioningDomains"], kid["roleInheritance"]) == (
        generated,
        ["kid.io"],
        "userOnly",
    )
    assert 0 < kid["createdTime"] <= INT32_MAX  # Tenant.CreatedTime is an int32
    ok(emulator, "/v1/mgmt/tenant/updateDefaultRoles", {"id": "kid", "defaultRoles": None})

    every = {
        "tenantIds": None,
        "tenantNames": None,
        "tenantSelfProvisioningDomains": None,
        "customAttributes": None,
        "authType": "",
    }
    assert [t["id"] for t in ok(emulator, "/v1/mgmt/tenant/search", every)["tenants"]] == [generated, "kid"]
    emulator.state.update_settings({"tenantId": "kid", "authType": "saml"})
    saml = ok(emulator, "/v1/mgmt/tenant/search", {**every, "authType": "saml"})["tenants"]
    assert [t["id"] for t in saml] == ["kid"]
    assert_error(
        api(emulator, "POST", "/v1/mgmt/tenant/search", {**every, "authType": "ldap"}), 400, "E011004"
    )

    ok(emulator, "/v1/mgmt/tenant/delete", {"id": "kid", "cascade": False})
    assert [t["id"] for t in ok(emulator, "/v1/mgmt/tenant/all", method="GET")["tenants"]] == [generated]


def test_go_settings_zero_values_mean_not_set(emulator: EmulatorServer) -> None:
    emulator.state.create_tenant({"id": "t1", "name": "Acme", "selfProvisioningDomains": ["acme.com"]})
    defaults = ok(emulator, "/v1/mgmt/tenant/settings?id=t1", method="GET")

    ok(emulator, "/v1/mgmt/tenant/settings", go_settings_request("t1"))
    after_zero = ok(emulator, "/v1/mgmt/tenant/settings?id=t1", method="GET")
    # "" units and authType, 0 durations: the defaults, not an error (and null domains: cleared).
    assert after_zero == {**defaults, "selfProvisioningDomains": []}

    ok(
        emulator,
        "/v1/mgmt/tenant/settings",
        go_settings_request(
            "t1",
            selfProvisioningDomains=["acme.com"],
            enabled=True,
            sessionTokenExpiration=20,
            sessionTokenExpirationUnit="minutes",
            inactivityTime=2,
            inactivityTimeUnit="weeks",
            authType="oidc",
            domains=["sso.acme.com"],
        ),
    )
    settings = ok(emulator, "/v1/mgmt/tenant/settings?id=t1", method="GET")
    assert settings["enabled"] is True  # the Go SDK reads it from "enabled" into SessionSettingsEnabled
    assert (settings["sessionTokenExpiration"], settings["sessionTokenExpirationUnit"]) == (20, "minutes")
    assert (settings["inactivityTime"], settings["inactivityTimeUnit"]) == (2, "weeks")
    assert (settings["refreshTokenExpiration"], settings["refreshTokenExpirationUnit"]) == (
        defaults["refreshTokenExpiration"],
        defaults["refreshTokenExpirationUnit"],
    )
    assert (settings["authType"], settings["domains"]) == ("oidc", ["sso.acme.com"])

    bad = api(
        emulator, "POST", "/v1/mgmt/tenant/settings", go_settings_request("t1", inactivityTimeUnit="months")
    )
    assert "inactivityTimeUnit" in assert_error(bad, 400, "E011004")["errorMessage"]
    negative = api(emulator, "POST", "/v1/mgmt/tenant/settings", go_settings_request("t1", inactivityTime=-1))
    assert_error(negative, 400, "E011003")


def test_go_permission_calls(emulator: EmulatorServer) -> None:
    ok(emulator, "/v1/mgmt/permission/create", {"name": "read", "description": ""})
    ok(emulator, "/v1/mgmt/permission/create/batch", {"permissions": [{"name": "write"}, {"name": "share"}]})
    permissions = ok(emulator, "/v1/mgmt/permission/all", method="GET")["permissions"]
    ids = {p["name"]: p["id"] for p in permissions}
    ok(emulator, "/v1/mgmt/permission/update", {"name": "read", "newName": "view", "description": ""})
    ok(emulator, "/v1/mgmt/permission/update", {"id": ids["write"], "newName": "edit", "description": "E"})
    ok(
        emulator,
        "/v1/mgmt/permission/update/batch",
        {"permissions": [{"name": "share", "newName": "publish"}]},
    )
    ok(emulator, "/v1/mgmt/permission/delete", {"id": ids["share"]})
    ok(emulator, "/v1/mgmt/permission/delete/batch", {"names": ["view"], "ids": None})
    ok(emulator, "/v1/mgmt/permission/delete/batch", {"names": None, "ids": [ids["write"]]})
    names = [p["name"] for p in ok(emulator, "/v1/mgmt/permission/all", method="GET")["permissions"]]
    assert names == ["Impersonate", "User Admin", "SSO Admin"]
    missing = api(emulator, "POST", "/v1/mgmt/permission/delete", {"name": "view"})
    assert_error(missing, 400, "E112402")


def test_go_role_calls(emulator: EmulatorServer) -> None:
    emulator.state.create_tenant({"id": "t1", "name": "Acme"})
    emulator.state.create_permission({"name": "read"})
    role = {"description": "", "permissionNames": None, "tenantId": "", "default": False, "private": False}
    ok(emulator, "/v1/mgmt/role/create", {"name": "viewer", **role})
    ok(
        emulator,
        "/v1/mgmt/role/create",
        {**role, "name": "viewer", "tenantId": "t1", "permissionNames": ["read"]},
    )
    created = ok(
        emulator,
        "/v1/mgmt/role/create/batch",
        {"roles": [{"name": "auditor"}, {"name": "owner", "tenantId": "t1", "default": True}]},
    )["roles"]
    assert [(r["name"], r["tenantId"], r["default"]) for r in created] == [
        ("auditor", "", False),
        ("owner", "t1", True),
    ]
    assert all(r["id"].startswith("ROL") and 0 < r["createdTime"] <= INT32_MAX for r in created)

    # Update by id sends tenantId "" even for a tenant role: "" is "not given", not "the project".
    tenant_viewer = ok(emulator, "/v1/mgmt/role/search", {"tenantIds": ["t1"], "roleNames": ["viewer"]})[
        "roles"
    ][0]
    ok(emulator, "/v1/mgmt/role/update", {**role, "id": tenant_viewer["id"], "newName": "reader"})
    ok(emulator, "/v1/mgmt/role/update", {**role, "name": "viewer", "newName": "watcher", "description": "W"})
    updated = ok(
        emulator,
        "/v1/mgmt/role/update/batch",
        {"roles": [{"name": "auditor", "newName": "inspector"}, {"id": created[1]["id"], "newName": "boss"}]},
    )["roles"]
    assert [(r["id"], r["name"]) for r in updated] == [
        (created[0]["id"], "inspector"),
        (created[1]["id"], "boss"),
    ]
    included = ok(emulator, "/v1/mgmt/role/search", {"tenantIds": ["t1"], "includeProjectRoles": True})[
        "roles"
    ]
    assert [(r["name"], r["tenantId"]) for r in included] == [
        ("Tenant Admin", ""),
        ("watcher", ""),
        ("reader", "t1"),
        ("inspector", ""),
        ("boss", "t1"),
    ]
    assert (
        ok(emulator, "/v1/mgmt/role/search", {})["roles"]
        == ok(emulator, "/v1/mgmt/role/all", method="GET")["roles"]
    )

    ok(emulator, "/v1/mgmt/role/delete", {"name": "watcher", "tenantId": ""})
    ok(emulator, "/v1/mgmt/role/delete", {"id": tenant_viewer["id"], "tenantId": ""})
    ok(emulator, "/v1/mgmt/role/delete/batch", {"roleNames": ["boss"], "tenantId": "t1", "roleIds": None})
    ok(
        emulator,
        "/v1/mgmt/role/delete/batch",
        {"roleNames": None, "tenantId": "", "roleIds": [created[0]["id"]]},
    )
    assert [r["name"] for r in ok(emulator, "/v1/mgmt/role/all", method="GET")["roles"]] == ["Tenant Admin"]
    gone = api(emulator, "POST", "/v1/mgmt/role/delete", {"name": "watcher", "tenantId": ""})
    assert_error(gone, 400, "E112302")


def go_user_request(login_id: str, **fields: Any) -> dict[str, Any]:
    """makeUpdateUserRequest (user.go): every field, zero values included; a create adds `invite`,
    `additionalLoginIds` and `test` (only when true)."""
    return {
        "loginId": login_id,
        "email": "",
        "phone": "",
        "displayName": "",
        "givenName": "",
        "middleName": "",
        "familyName": "",
        "roleNames": None,
        "userTenants": [],
        "customAttributes": None,
        "picture": "",
        "additionalLoginIds": None,
        "ssoAppIDs": None,
        **fields,
    }


def test_go_user_calls(emulator: EmulatorServer) -> None:
    ok(emulator, "/v1/mgmt/tenant/create", go_tenant_request("acme", "Acme"))
    user = ok(
        emulator,
        "/v1/mgmt/user/create",
        go_user_request(
            "admin@acme.example",
            email="admin@acme.example",
            userTenants=[{"tenantId": "acme", "roleNames": ["Tenant Admin"]}],
            invite=True,
        ),
    )["user"]
    assert user["loginIds"] == ["admin@acme.example"] and user["status"] == "invited"
    test_user = ok(
        emulator, "/v1/mgmt/user/create/test", go_user_request("smoke@acme.example", invite=False, test=True)
    )
    assert test_user["user"]["test"] is True
    # Load and delete send both keys, the unused one empty.
    loaded = ok(emulator, "/v1/mgmt/user?loginId=admin@acme.example&userId=", method="GET")["user"]
    assert loaded["userId"] == user["userId"]
    assert ok(emulator, f"/v1/mgmt/user?loginId=&userId={user['userId']}", method="GET")["user"] == loaded
    # makePatchUserRequest: the display name is "name".
    patched = ok(
        emulator,
        "/v1/mgmt/user/patch",
        {"loginId": "admin@acme.example", "name": "Acme Admin"},
        method="PATCH",
    )
    assert patched["user"]["name"] == "Acme Admin" and patched["user"]["email"] == "admin@acme.example"
    ok(emulator, "/v1/mgmt/user/update/tenant/remove", {"loginId": "admin@acme.example", "tenantId": "acme"})
    ok(emulator, "/v1/mgmt/user/update/tenant/add", {"loginId": "admin@acme.example", "tenantId": "acme"})
    roles = ok(
        emulator,
        "/v2/mgmt/user/update/role/add",
        {"loginId": "admin@acme.example", "tenantId": "acme", "roleNames": ["Tenant Admin"]},
    )["user"]["userTenants"]
    assert roles == [{"tenantId": "acme", "roleNames": ["Tenant Admin"], "tenantName": "Acme"}]
    # makeSearchAllRequest: every option, zero values included.
    search = {
        "tenantIds": ["acme"], "roleNames": None, "limit": 0, "page": 0, "sort": None, "text": "",
        "loginIds": None, "testUsersOnly": False, "withTestUser": False, "customAttributes": None,
        "statuses": None, "emails": None, "phones": None, "ssoAppIds": None, "fromCreatedTime": 0,
        "toCreatedTime": 0, "fromModifiedTime": 0, "toModifiedTime": 0, "userIds": None,
        "tenantRoleIds": None, "tenantRoleNames": None, "includeSubTenants": False,
    }  # fmt: skip
    found = ok(emulator, "/v2/mgmt/user/search", search)["users"]
    assert [u["loginIds"] for u in found] == [["admin@acme.example"]]
    ok(emulator, "/v1/mgmt/user/delete", {"loginId": "admin@acme.example", "userId": ""})
    assert_error(api(emulator, "GET", "/v1/mgmt/user?loginId=admin@acme.example&userId="), 400, "E112102")
