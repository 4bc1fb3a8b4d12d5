"""The request bodies of the official Go SDK (github.com/descope/go-sdk), sent raw to the emulator:
SSO configurations (SAML, OIDC, the deprecated calls, admin links) and access keys.

The Go SDK cannot build from a clean clone (see test_emu_go_shapes_tenants_roles_users.py), so these
bodies are written out exactly as descope/internal/mgmt/sso.go and accesskey.go build them: a map of
every field, where an unset Go string is ``""``, an unset bool ``false``, an unset int ``0`` and a
nil slice or map ``null``; the OIDC settings and the access-key search marshal structs whose
``omitempty`` tags drop zero values instead (a nil search options pointer sends no body at all). The
answers are checked for the fields the SDK's structs decode (``int32`` times included).
"""

from __future__ import annotations

from typing import Any

from descope_emulator import EmulatorServer
from descope_emulator.accesskeys import ACCESS_KEY_NOT_FOUND
from descope_emulator.sso import SSO_NOT_FOUND
from emu_support import api, assert_error
from go_shapes_support import (
    INT32_MAX,
    ok,
)

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
