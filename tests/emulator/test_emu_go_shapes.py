"""The request bodies of the official Go SDK (github.com/descope/go-sdk), sent raw to the emulator.

The Go module proxy does not serve github.com/descope/go-sdk (``go list -m -versions`` answers 403,
"This module version is not available"), so no Go program can build from a clean clone. Instead these
bodies are written out exactly as the SDK's source builds them (descope/internal/mgmt/tenant.go,
role.go, permission.go, sso.go, accesskey.go and the structs of descope/types.go): a map of every
field, where an unset Go string is ``""``, an unset bool ``false``, an unset int ``0`` and a nil slice
or map ``null``; the batch calls, the OIDC settings and the access-key search marshal structs whose
``omitempty`` tags drop zero values instead (a nil search options pointer sends no body at all). The
answers are checked for the fields the SDK's structs decode (``int32`` times included).
"""

from __future__ import annotations

from typing import Any

from descope_emulator import EmulatorServer
from descope_emulator.accesskeys import ACCESS_KEY_NOT_FOUND
from descope_emulator.sso import SSO_NOT_FOUND
from emu_support import api, assert_error

INT32_MAX = 2**31 - 1


def ok(emulator: EmulatorServer, path: str, body: Any = None, method: str = "POST") -> Any:
    response = api(emulator, method, path, body)
    assert response.status_code == 200, response.text
    return response.json()


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


# ----- SSO configurations (descope/internal/mgmt/sso.go) -----------------------------------------

SSO = "/v1/mgmt/sso"


def go_saml_request(tenant_id: str, settings: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """ConfigureSAMLSettings: a map of every settings field; roleMappings is always a list (``[]``);
    ``ssoId`` only when set (pass it in ``fields``)."""
    return {
        "tenantId": tenant_id,
        "settings": {
            "idpUrl": "",
            "entityId": "",
            "idpCert": "",
            "roleMappings": [],
            "attributeMapping": None,
            "spACSUrl": "",
            "spEntityId": "",
            "defaultSSORoles": None,
            "groupsPriority": None,
            **settings,
        },
        "redirectUrl": "",
        "domains": None,
        **fields,
    }


def go_saml_metadata_request(tenant_id: str, settings: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """ConfigureSAMLSettingsByMetadata: as SAML, with idpMetadataUrl instead of idpUrl and idpCert."""
    return {
        "tenantId": tenant_id,
        "settings": {
            "idpMetadataUrl": "",
            "entityId": "",
            "roleMappings": [],
            "attributeMapping": None,
            "spACSUrl": "",
            "spEntityId": "",
            "defaultSSORoles": None,
            "groupsPriority": None,
            **settings,
        },
        "redirectUrl": "",
        "domains": None,
        **fields,
    }


def go_load(emulator: EmulatorServer, tenant_id: str, sso_id: str = "") -> Any:
    query = f"tenantId={tenant_id}" + (f"&ssoId={sso_id}" if sso_id else "")
    return ok(emulator, f"/v2/mgmt/sso/settings?{query}", method="GET")


def test_go_sso_calls(emulator: EmulatorServer) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.state.create_role({"name": "viewer"})
    # NewSettings always sends ssoId, "" when the caller lets Descope pick one.
    generated = ok(emulator, f"{SSO}/settings/new", {"tenantId": "acme", "ssoId": "", "displayName": "Gen"})
    assert generated["ssoId"].startswith("SSO")
    ok(emulator, f"{SSO}/settings/new", {"tenantId": "acme", "ssoId": "okta", "displayName": "Okta"})

    # SAML with every optional field unset: zero values, not errors.
    ok(
        emulator,
        f"{SSO}/saml",
        go_saml_request(
            "acme", {"idpUrl": "https://idp/saml", "entityId": "https://idp/e", "idpCert": "CERT"}
        ),
    )
    default = go_load(emulator, "acme")
    saml = default["saml"]
    assert (saml["idpSSOUrl"], saml["redirectUrl"], saml["groupsMapping"], saml["defaultSSORoles"]) == (
        "https://idp/saml",
        "",
        [],
        [],
    )
    assert saml["spACSUrl"].startswith("https://") and saml["spEntityId"].startswith(
        "https://"
    )  # "" = derive
    assert (default["tenant"]["authType"], default["tenant"]["domains"]) == ("saml", [])
    assert 0 <= saml["lastSuccessTestTime"] <= INT32_MAX and 0 < default["tenant"]["createdTime"] <= INT32_MAX

    # SAML with a mapping (Go's RoleMapping.Role travels as roleName), on a named configuration.
    ok(
        emulator,
        f"{SSO}/saml",
        go_saml_request(
            "acme",
            {
                "idpUrl": "https://idp/saml",
                "entityId": "https://idp/e",
                "idpCert": "CERT",
                "roleMappings": [{"groups": ["eng"], "roleName": "viewer"}],
                "attributeMapping": {"name": "displayName", "customAttributes": {"team": "dept"}},
                "defaultSSORoles": ["viewer"],
                "groupsPriority": ["eng"],
            },
            redirectUrl="https://app/after",
            domains=["acme.com"],
            ssoId="okta",
        ),
    )
    okta = go_load(emulator, "acme", "okta")["saml"]
    assert okta["groupsMapping"][0]["role"]["name"] == "viewer" and okta["groupsMapping"][0]["groups"] == [
        "eng"
    ]
    assert (okta["attributeMapping"]["customAttributes"], okta["groupsPriority"]) == (
        {"team": "dept"},
        ["eng"],
    )

    ok(
        emulator,
        f"{SSO}/saml/metadata",
        go_saml_metadata_request(
            "acme", {"idpMetadataUrl": "https://idp/metadata"}, ssoId=generated["ssoId"]
        ),
    )
    assert go_load(emulator, "acme", generated["ssoId"])["saml"]["idpMetadataUrl"] == "https://idp/metadata"

    # OIDC: a struct with omitempty tags, so only what is set travels; groupsMapping instead of roleMappings.
    oidc_settings = {
        "name": "Okta",
        "clientId": "client-1",
        "clientSecret": "go-secret",
        "userAttrMapping": {"loginId": "sub", "email": "mail"},
        "groupsMapping": [{"role": {"name": "viewer"}, "groups": ["ops"]}],
    }
    ok(
        emulator,
        f"{SSO}/oidc",
        {"tenantId": "acme", "settings": oidc_settings, "domains": None, "ssoId": "okta"},
    )
    loaded = go_load(emulator, "acme", "okta")
    assert loaded["oidc"]["clientSecret"] == "" and "go-secret" not in str(loaded)
    assert loaded["oidc"]["groupsMapping"][0]["groups"] == ["ops"]
    assert loaded["tenant"]["authType"] == "oidc"
    assert emulator.state.sso.client_secret_matches("acme", "okta", "go-secret")

    # ConfigureSSORedirectURL sends only the pointers that are set; RecalculateSSOMappings ssoId when set.
    ok(
        emulator,
        f"{SSO}/redirect",
        {"tenantId": "acme", "oauthRedirectUrl": "https://app/oauth", "ssoId": "okta"},
    )
    ok(emulator, f"{SSO}/redirect", {"tenantId": "acme", "samlRedirectUrl": ""})
    assert go_load(emulator, "acme", "okta")["oidc"]["redirectUrl"] == "https://app/oauth"
    assert go_load(emulator, "acme")["saml"]["redirectUrl"] == ""
    ok(emulator, f"{SSO}/recalculate-mappings", {"tenantId": "acme"})
    ok(emulator, f"{SSO}/recalculate-mappings", {"tenantId": "acme", "ssoId": "okta"})

    all_ids = [
        c["ssoId"]
        for c in ok(emulator, "/v2/mgmt/sso/settings/all?tenantId=acme", method="GET")["SSOSettings"]
    ]
    assert sorted(all_ids) == sorted([generated["ssoId"], "okta", "default_ssoid"])
    assert ok(emulator, f"{SSO}/settings?tenantId=acme&ssoId=okta", method="DELETE") == {}
    assert_error(api(emulator, "GET", "/v2/mgmt/sso/settings?tenantId=acme&ssoId=okta"), 404, SSO_NOT_FOUND)
    assert_error(api(emulator, "GET", "/v2/mgmt/sso/settings?tenantId=nope"), 404, "E112202")
    assert_error(
        api(
            emulator, "POST", f"{SSO}/redirect", {"tenantId": "acme", "ssoId": "okta", "samlRedirectUrl": ""}
        ),
        400,
        SSO_NOT_FOUND,
    )


def test_go_deprecated_sso_calls(emulator: EmulatorServer) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.state.create_role({"name": "viewer"})
    # ConfigureMapping: roleMappings always a list, attributeMapping a nil pointer when not given.
    ok(
        emulator,
        f"{SSO}/mapping",
        {
            "tenantId": "acme",
            "roleMappings": [{"groups": ["eng"], "roleName": "viewer"}],
            "attributeMapping": {"name": "displayName", "email": "mail"},
        },
    )
    ok(
        emulator,
        f"{SSO}/settings",
        {
            "tenantId": "acme",
            "idpURL": "https://idp/saml",
            "idpCert": "CERT",
            "entityId": "https://idp/e",
            "redirectURL": "",
            "domains": None,
        },
    )
    flat = ok(emulator, f"{SSO}/settings?tenantId=acme", method="GET")  # GetSettings: SSOSettingsResponse
    assert (flat["tenantId"], flat["idpSSOUrl"], flat["idpCertificate"], flat["domains"], flat["domain"]) == (
        "acme",
        "https://idp/saml",
        "CERT",
        [],
        "",
    )
    assert flat["userMapping"] == {
        "name": "displayName",
        "email": "mail",
        "username": "",
        "phoneNumber": "",
        "group": "",
    }
    assert flat["groupsMapping"][0]["role"]["name"] == "viewer"
    ok(emulator, f"{SSO}/mapping", {"tenantId": "acme", "roleMappings": [], "attributeMapping": None})
    ok(
        emulator,
        f"{SSO}/metadata",
        {
            "tenantId": "acme",
            "idpMetadataURL": "https://idp/metadata",
            "redirectURL": "https://app",
            "domains": ["acme.com"],
        },
    )
    flat = ok(emulator, f"{SSO}/settings?tenantId=acme", method="GET")
    assert (flat["idpMetadataUrl"], flat["redirectUrl"], flat["domain"]) == (
        "https://idp/metadata",
        "https://app",
        "acme.com",
    )
    assert (
        flat["groupsMapping"] == [] and flat["userMapping"]["name"] == "displayName"
    )  # [] cleared, null kept
    assert_error(api(emulator, "GET", f"{SSO}/settings?tenantId=nope"), 404, "E112202")


def test_go_sso_admin_links(emulator: EmulatorServer) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    unset = {"ssoId": "", "email": "", "templateId": "", "actorId": ""}
    link = ok(
        emulator, "/v2/mgmt/tenant/adminlinks/sso/generate", {"tenantId": "acme", "expireTime": 0, **unset}
    )
    url = link["adminSSOConfigurationLink"]
    assert emulator.state.sso.admin_link_valid("acme", url)  # expireTime 0: the default lifetime
    ok(emulator, "/v1/mgmt/tenant/adminlinks/sso/revoke", {"tenantId": "acme", "ssoId": ""})
    assert not emulator.state.sso.admin_link_valid("acme", url)
    ghost = api(
        emulator,
        "POST",
        "/v2/mgmt/tenant/adminlinks/sso/generate",
        {"tenantId": "acme", "expireTime": 60, **unset, "ssoId": "ghost"},
    )
    assert_error(ghost, 400, SSO_NOT_FOUND)
    nobody = api(emulator, "POST", "/v1/mgmt/tenant/adminlinks/sso/revoke", {"tenantId": "nope", "ssoId": ""})
    assert_error(nobody, 400, "E112202")


# ----- access keys (descope/internal/mgmt/accesskey.go) ------------------------------------------

KEYS = "/v1/mgmt/accesskey"


def go_create_key_request(name: str, **fields: Any) -> dict[str, Any]:
    """makeCreateAccessKeyBody: every field; keyTenants always a list (makeAssociatedTenantList)."""
    return {
        "name": name,
        "expireTime": 0,
        "roleNames": None,
        "keyTenants": [],
        "userId": "",
        "customClaims": None,
        "description": "",
        "permittedIps": None,
        "customAttributes": None,
        **fields,
    }


def test_go_access_key_calls(emulator: EmulatorServer) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.state.create_role({"name": "viewer"})
    plain = ok(emulator, f"{KEYS}/create", go_create_key_request("plain"))
    assert set(plain) == {"cleartext", "key"} and plain["cleartext"]
    key = plain["key"]
    assert (key["roleNames"], key["keyTenants"], key["expireTime"], key["status"]) == ([], [], 0, "active")
    assert 0 < key["createdTime"] <= INT32_MAX
    # makeAssociatedTenantList sends roleNames null for a tenant without roles.
    tenant_key = ok(
        emulator,
        f"{KEYS}/create",
        go_create_key_request(
            "tenant", keyTenants=[{"tenantId": "acme", "roleNames": None}], expireTime=2_000_000_000
        ),
    )["key"]
    assert tenant_key["keyTenants"] == [{"tenantId": "acme", "tenantName": "Acme", "roleNames": []}]
    assert tenant_key["expireTime"] <= INT32_MAX

    loaded = ok(emulator, f"{KEYS}?id={key['id']}", method="GET")
    assert set(loaded) == {"key"} and "cleartext" not in str(loaded) and plain["cleartext"] not in str(loaded)
    # SearchAll(nil) sends no body; options marshal with omitempty (a set pointer may be "").
    assert [k["id"] for k in ok(emulator, f"{KEYS}/search")["keys"]] == [key["id"], tenant_key["id"]]
    assert [k["id"] for k in ok(emulator, f"{KEYS}/search", {"tenantIds": ["acme"]})["keys"]] == [
        tenant_key["id"]
    ]
    assert len(ok(emulator, f"{KEYS}/search", {"boundUserId": "", "creatingUser": ""})["keys"]) == 2

    # Update: id and name always, the rest only when the caller passed it.
    updated = ok(emulator, f"{KEYS}/update", {"id": key["id"], "name": "renamed"})["key"]
    assert (updated["name"], updated["description"]) == ("renamed", "")
    updated = ok(
        emulator,
        f"{KEYS}/update",
        {"id": key["id"], "name": "renamed", "description": "", "roleNames": ["viewer"], "keyTenants": []},
    )["key"]
    assert updated["roleNames"] == ["viewer"]

    for path in ("deactivate", "activate"):
        assert ok(emulator, f"{KEYS}/{path}", {"id": key["id"]}) == {}
    for path in ("deactivate/batch", "activate/batch"):
        assert ok(emulator, f"{KEYS}/{path}", {"ids": [key["id"], tenant_key["id"]]}) == {}
    rotated = ok(emulator, f"{KEYS}/rotate", {"id": key["id"]})
    assert rotated["cleartext"] != plain["cleartext"] and rotated["key"]["id"] == key["id"]
    assert ok(emulator, f"{KEYS}/delete", {"id": key["id"]}) == {}
    assert ok(emulator, f"{KEYS}/delete/batch", {"ids": [tenant_key["id"]]}) == {}
    assert ok(emulator, f"{KEYS}/search")["keys"] == []
    assert_error(api(emulator, "GET", f"{KEYS}?id={key['id']}"), 404, ACCESS_KEY_NOT_FOUND)
    assert_error(api(emulator, "POST", f"{KEYS}/rotate", {"id": key["id"]}), 400, ACCESS_KEY_NOT_FOUND)
    bad_tenant = go_create_key_request("k", keyTenants=[{"tenantId": "nope", "roleNames": None}])
    assert_error(api(emulator, "POST", f"{KEYS}/create", bad_tenant), 400, "E112202")


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
