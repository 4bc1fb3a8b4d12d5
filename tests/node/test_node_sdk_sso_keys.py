"""Contract tests: the official Node SDK's tenant SSO-configuration, SSO admin-link and access-key calls
against the emulator (same harness as test_node_sdk_contract.py: Node calls, Python checks the SDK's
answers, the request bodies the emulator received and the answers' TypeScript types)."""

from __future__ import annotations

import json
from typing import Any

from descope_emulator import EmulatorServer
from descope_emulator.accesskeys import ACCESS_KEY_NOT_FOUND
from descope_emulator.sso import DEFAULT_SSO_ID, SSO_NOT_FOUND

from tests.node.test_node_sdk_contract import U, assert_error, assert_ok, call, conforms, run, sent
from tests.node.ts_types import TypeScriptTypes

SECRET = "node-oidc-secret-7f3a"
TENANT_NOT_FOUND = "E112202"
LATER = 2_000_000_000  # an expireTime in the future (epoch seconds, within Go's int32)

OIDC = {
    "name": "Okta",
    "clientId": "client-1",
    "clientSecret": SECRET,
    "authUrl": "https://idp.example/auth",
    "tokenUrl": "https://idp.example/token",
    "userDataUrl": "https://idp.example/userinfo",
    "scope": ["openid", "profile"],
    "JWKsUrl": "https://idp.example/jwks",
    "issuer": "https://idp.example",
    "attributeMapping": {"loginId": "sub", "email": "mail", "name": "name"},
    "manageProviderTokens": True,
    "callbackDomain": "auth.acme.com",
    "prompt": ["login", "consent"],
    "grantType": "authorization_code",
    "roleMappings": [{"roleName": "viewer", "groups": ["eng"]}],
}
SAML = {
    "idpUrl": "https://idp.example/saml",
    "idpCert": "MIIC-cert",
    "entityId": "https://idp.example/entity",
    "roleMappings": [{"groups": ["ops"], "roleName": "operator"}],
    "attributeMapping": {"name": "displayName", "email": "mail"},
    "defaultSSORoles": ["viewer"],
}


def seed(emulator: EmulatorServer) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.state.create_role({"name": "viewer"})
    emulator.state.create_role({"name": "operator", "tenantId": "acme"})


def never_echoes(value: Any, secret: str) -> None:
    assert secret not in json.dumps(value)


# ----- SSO configurations ------------------------------------------------------------------------


def test_sso_configuration_calls(node: str, emulator: EmulatorServer, ts: TypeScriptTypes) -> None:
    seed(emulator)
    results = run(
        node,
        emulator,
        call("sso.newSettings", "acme", "okta", "Okta"),
        call("sso.newSettings", "acme", "", "Generated"),
        call("sso.configureOIDCSettings", "acme", OIDC, ["okta.acme.com"], "okta"),
        call("sso.loadSettings", "acme", "okta"),
        call("sso.configureSAMLSettings", "acme", SAML, "https://app.acme.com/after", ["acme.com"]),
        call(
            "sso.configureSAMLByMetadata",
            "acme",
            {"idpMetadataUrl": "https://idp.example/metadata", "entityId": "https://idp.example/m"},
            U,
            U,
            "okta",
        ),
        call("sso.loadSettings", "acme"),
        call("sso.loadAllSettings", "acme"),
        call("sso.deleteSettings", "acme", "okta"),
        call("sso.deleteSettings", "acme"),
        call("sso.loadAllSettings", "acme"),
    )
    created = assert_ok(results[0])
    conforms(ts, created, "SSOSettings")
    assert (created["ssoId"], created["tenant"]["id"]) == ("okta", "acme")
    generated = assert_ok(results[1])["ssoId"]
    assert generated.startswith("SSO") and generated != "okta"
    assert_ok(results[2])

    oidc_config = assert_ok(results[3])
    conforms(ts, oidc_config, "SSOSettings")
    oidc = oidc_config["oidc"]
    assert oidc["clientSecret"] == ""  # write-only
    never_echoes(oidc_config, SECRET)
    # The SDK renames the answer's userAttrMapping back to attributeMapping.
    assert {k: oidc["attributeMapping"][k] for k in ("loginId", "email", "name")} == OIDC["attributeMapping"]
    assert "userAttrMapping" not in oidc
    assert (oidc["prompt"], oidc["scope"], oidc["manageProviderTokens"]) == (
        ["login", "consent"],
        ["openid", "profile"],
        True,
    )
    assert oidc_config["tenant"]["authType"] == "oidc"
    assert oidc_config["tenant"]["domains"] == ["okta.acme.com"]

    for index in (4, 5):
        assert_ok(results[index])
    default = assert_ok(results[6])
    conforms(ts, default, "SSOSettings")
    saml = default["saml"]
    assert (saml["idpSSOUrl"], saml["idpCertificate"], saml["idpEntityId"]) == (
        "https://idp.example/saml",
        "MIIC-cert",
        "https://idp.example/entity",
    )
    assert saml["redirectUrl"] == "https://app.acme.com/after"
    # The SDK flattens the answer's {"role": {"id", "name"}} to roleName.
    assert saml["groupsMapping"] == [{"groups": ["ops"], "roleName": "operator"}]
    assert saml["defaultSSORoles"] == ["viewer"]
    assert (default["ssoId"], default["tenant"]["authType"], default["tenant"]["domains"]) == (
        DEFAULT_SSO_ID,
        "saml",
        ["acme.com"],
    )
    everything = assert_ok(results[7])
    conforms(ts, everything, "SSOSettings[]")
    by_id = {c["ssoId"]: c for c in everything}
    assert sorted(by_id) == sorted(["okta", generated, DEFAULT_SSO_ID])
    assert by_id["okta"]["saml"]["idpMetadataUrl"] == "https://idp.example/metadata"
    assert by_id["okta"]["tenant"]["authType"] == "saml"  # the metadata configure switched it
    assert by_id["okta"]["oidc"]["clientId"] == "client-1"  # the other protocol's settings stay
    never_echoes(everything, SECRET)
    for index in (8, 9):
        assert_ok(results[index])
    assert [c["ssoId"] for c in assert_ok(results[10])] == [generated]
    assert emulator.state.load_tenant("acme")["authType"] == "none"

    # Request shapes: attributeMapping travels as userAttrMapping; an absent ssoId is left out.
    assert sent(emulator, "/v1/mgmt/sso/settings/new") == [
        {"tenantId": "acme", "ssoId": "okta", "displayName": "Okta"},
        {"tenantId": "acme", "displayName": "Generated"},
    ]
    # (The emulator's request log redacts the secret.)
    wire_oidc = {k: v for k, v in OIDC.items() if k != "attributeMapping"} | {"clientSecret": "<redacted>"}
    assert sent(emulator, "/v1/mgmt/sso/oidc") == [
        {
            "tenantId": "acme",
            "settings": {**wire_oidc, "userAttrMapping": OIDC["attributeMapping"]},
            "domains": ["okta.acme.com"],
            "ssoId": "okta",
        }
    ]
    assert sent(emulator, "/v1/mgmt/sso/saml") == [
        {
            "tenantId": "acme",
            "settings": SAML,
            "redirectUrl": "https://app.acme.com/after",
            "domains": ["acme.com"],
        }
    ]
    assert sent(emulator, "/v1/mgmt/sso/saml/metadata") == [
        {
            "tenantId": "acme",
            "settings": {
                "idpMetadataUrl": "https://idp.example/metadata",
                "entityId": "https://idp.example/m",
            },
            "ssoId": "okta",
        }
    ]


def test_sso_resending_loaded_oidc_settings_keeps_the_secret(
    node: str, emulator: EmulatorServer, ts: TypeScriptTypes
) -> None:
    seed(emulator)
    first = run(
        node,
        emulator,
        call("sso.configureOIDCSettings", "acme", OIDC, ["acme.com"]),
        call("sso.loadSettings", "acme"),
    )
    assert_ok(first[0])
    loaded = assert_ok(first[1])["oidc"]
    # What a Node user does to change one field: send the loaded settings back (secret "").
    second = run(
        node,
        emulator,
        call("sso.configureOIDCSettings", "acme", {**loaded, "name": "Okta 2"}, ["acme.com"]),
        call("sso.loadSettings", "acme"),
    )
    assert_ok(second[0])
    reloaded = assert_ok(second[1])
    conforms(ts, reloaded, "SSOSettings")
    assert (reloaded["oidc"]["name"], reloaded["oidc"]["clientSecret"]) == ("Okta 2", "")
    assert emulator.state.sso.client_secret_matches("acme", DEFAULT_SSO_ID, SECRET)


def test_sso_admin_links(node: str, emulator: EmulatorServer, ts: TypeScriptTypes) -> None:
    seed(emulator)
    emulator.state.sso.new_settings({"tenantId": "acme", "ssoId": "okta", "displayName": "Okta"})
    results = run(
        node,
        emulator,
        call("tenant.generateSSOConfigurationLink", "acme", 3600, U, "admin@acme.com", U, U),
        call("tenant.generateSSOConfigurationLink", "acme", 60, "okta", U, "tmpl", "actor-1"),
    )
    default_link = assert_ok(results[0])
    okta_link = assert_ok(results[1])
    for answer in (default_link, okta_link):
        conforms(ts, answer, "GenerateSSOConfigurationLinkResponse")
    state = emulator.state.sso
    assert state.admin_link_valid("acme", default_link["adminSSOConfigurationLink"])
    assert state.admin_link_valid("acme", okta_link["adminSSOConfigurationLink"], "okta")
    assert not state.admin_link_valid("acme", okta_link["adminSSOConfigurationLink"])

    revoked = run(
        node,
        emulator,
        call("tenant.revokeSSOConfigurationLink", "acme", "okta"),
        call("tenant.revokeSSOConfigurationLink", "acme"),
    )
    for result in revoked:
        assert_ok(result)
    assert not state.admin_link_valid("acme", okta_link["adminSSOConfigurationLink"], "okta")
    assert not state.admin_link_valid("acme", default_link["adminSSOConfigurationLink"])

    # Undefined arguments are left out; templateId and actorId travel (the emulator ignores them).
    assert sent(emulator, "/v2/mgmt/tenant/adminlinks/sso/generate") == [
        {"tenantId": "acme", "expireTime": 3600, "email": "admin@acme.com"},
        {"tenantId": "acme", "expireTime": 60, "ssoId": "okta", "templateId": "tmpl", "actorId": "actor-1"},
    ]
    assert sent(emulator, "/v1/mgmt/tenant/adminlinks/sso/revoke") == [
        {"tenantId": "acme", "ssoId": "okta"},
        {"tenantId": "acme"},
    ]


def test_sso_errors(node: str, emulator: EmulatorServer) -> None:
    seed(emulator)
    results = run(
        node,
        emulator,
        call("sso.loadSettings", "acme", "ghost"),
        call("sso.loadSettings", "acme"),  # no default configuration yet
        call("sso.loadSettings", "nobody"),
        call("sso.loadAllSettings", "nobody"),
        call("sso.newSettings", "nobody", "x", "X"),
        call("sso.configureOIDCSettings", "acme", OIDC, U, "ghost"),
        call("sso.configureSAMLSettings", "nobody", SAML),
        call("sso.deleteSettings", "acme", "ghost"),
        call("sso.deleteSettings", "nobody"),
        call("tenant.generateSSOConfigurationLink", "nobody", 60),
        call("tenant.generateSSOConfigurationLink", "acme", 60, "ghost"),
        call("tenant.revokeSSOConfigurationLink", "acme", "ghost"),
        call("sso.newSettings", "acme", "okta", "Okta"),
        call("sso.newSettings", "acme", "okta", "Again"),
    )
    for index in (0, 1):
        assert_error(results[index], 404, SSO_NOT_FOUND)
    for index in (2, 3):
        assert_error(results[index], 404, TENANT_NOT_FOUND)
    assert_error(results[4], 400, TENANT_NOT_FOUND)
    assert_error(results[5], 400, SSO_NOT_FOUND)
    assert_error(results[6], 400, TENANT_NOT_FOUND)
    assert_error(results[7], 400, SSO_NOT_FOUND)
    assert_error(results[8], 400, TENANT_NOT_FOUND)
    assert_error(results[9], 400, TENANT_NOT_FOUND)
    assert_error(results[10], 400, SSO_NOT_FOUND)
    assert_error(results[11], 400, SSO_NOT_FOUND)
    assert_ok(results[12])
    assert "already exists" in assert_error(results[13], 400, "E011004")["errorMessage"]


# ----- access keys -------------------------------------------------------------------------------

# The SDK's TypeScript AccessKey type declares `expiredTime` and `expiresTime` (both required) where
# Descope, and the Go and Python SDKs, send `expireTime`; the emulator serves the wire spelling. Each
# answer must conform apart from exactly these two fields.
ACCESS_KEY_TYPE_TYPOS = ("expiredTime", "expiresTime")


def with_type_spellings(key: Any) -> dict[str, Any]:
    """The key with the TypeScript type's two spellings added, holding the wire's ``expireTime``."""
    assert isinstance(key, dict) and isinstance(key["expireTime"], int)
    return {**key, **dict.fromkeys(ACCESS_KEY_TYPE_TYPOS, key["expireTime"])}


def key_conforms(ts: TypeScriptTypes, key: Any) -> None:
    assert ts.problems(with_type_spellings(key), "AccessKey") == []
    # The typos are the only difference: without the stand-ins exactly those two are missing.
    missing = ts.problems(key, "AccessKey")
    assert len(missing) == 2 and all(any(t in p for t in ACCESS_KEY_TYPE_TYPOS) for p in missing)


def test_access_key_calls(node: str, emulator: EmulatorServer, ts: TypeScriptTypes) -> None:
    seed(emulator)
    first = run(
        node,
        emulator,
        call(
            "accessKey.create",
            "ci",
            0,
            ["viewer"],
            U,
            U,
            {"env": "prod"},
            "CI key",
            ["10.0.0.0/8"],
            {"team": "infra"},
        ),
        call("accessKey.create", "tenant key", LATER, U, [{"tenantId": "acme", "roleNames": ["operator"]}]),
    )
    created = [assert_ok(result) for result in first]
    for answer in created:
        conforms(ts, {**answer, "key": with_type_spellings(answer["key"])}, "CreatedAccessKeyResponse")
        assert answer["cleartext"]
        key_conforms(ts, answer["key"])
    ci, tenant_key = (answer["key"]["id"] for answer in created)
    assert emulator.state.access_keys.verify(created[0]["cleartext"]) == ci
    assert created[1]["key"]["keyTenants"] == [
        {"tenantId": "acme", "tenantName": "Acme", "roleNames": ["operator"]}
    ]

    second = run(
        node,
        emulator,
        call("accessKey.load", ci),
        call("accessKey.searchAll"),
        call("accessKey.searchAll", ["acme"]),
        call("accessKey.searchAll", U, U, U, {"team": "infra"}),
        call("accessKey.update", ci, "ci renamed", "Renamed", ["viewer"], U, {"env": "dev"}, ["10.1.2.3"]),
        call("accessKey.deactivate", ci),
        call("accessKey.load", ci),
        call("accessKey.activate", ci),
        call("accessKey.deactivateBatch", [ci, tenant_key]),
        call("accessKey.searchAll"),
        call("accessKey.activateBatch", [ci, tenant_key]),
        call("accessKey.rotate", ci),
        call("accessKey.load", ci),
    )
    loaded = assert_ok(second[0])
    key_conforms(ts, loaded)
    assert (loaded["name"], loaded["roleNames"], loaded["description"]) == ("ci", ["viewer"], "CI key")
    assert (loaded["permittedIps"], loaded["customClaims"], loaded["status"]) == (
        ["10.0.0.0/8"],
        {"env": "prod"},
        "active",
    )
    searched = [[k["id"] for k in assert_ok(result)] for result in second[1:4]]
    for result in second[1:4]:
        for key in result["data"]:
            key_conforms(ts, key)
    assert searched == [[ci, tenant_key], [tenant_key], [ci]]
    updated = assert_ok(second[4])
    key_conforms(ts, updated)
    assert (updated["name"], updated["description"], updated["permittedIps"]) == (
        "ci renamed",
        "Renamed",
        ["10.1.2.3"],
    )
    assert updated["customAttributes"] == {"team": "infra"}  # left out of the update: unchanged
    assert_ok(second[5])
    assert assert_ok(second[6])["status"] == "inactive"
    assert_ok(second[7])
    assert_ok(second[8])
    assert [k["status"] for k in assert_ok(second[9])] == ["inactive", "inactive"]
    assert_ok(second[10])
    rotated = assert_ok(second[11])
    conforms(ts, {**rotated, "key": with_type_spellings(rotated["key"])}, "CreatedAccessKeyResponse")
    key_conforms(ts, rotated["key"])
    assert rotated["cleartext"] and rotated["cleartext"] != created[0]["cleartext"]
    assert emulator.state.access_keys.verify(rotated["cleartext"]) == ci
    assert emulator.state.access_keys.verify(created[0]["cleartext"]) is None
    assert assert_ok(second[12])["status"] == "active"

    # No answer but create and rotate carries a cleartext.
    for result in second[:11] + second[12:]:
        for answer in (created[0], created[1], rotated):
            never_echoes(result, answer["cleartext"])
        assert "cleartext" not in json.dumps(result.get("data"))

    third = run(
        node,
        emulator,
        call("accessKey.delete", tenant_key),
        call("accessKey.deleteBatch", [ci]),
        call("accessKey.searchAll"),
    )
    assert_ok(third[0])
    assert_ok(third[1])
    assert assert_ok(third[2]) == []

    # Request shapes: every create/update argument travels under its wire name; undefined is left out.
    assert sent(emulator, "/v1/mgmt/accesskey/create") == [
        {
            "name": "ci",
            "expireTime": 0,
            "roleNames": ["viewer"],
            "customClaims": {"env": "prod"},
            "description": "CI key",
            "permittedIps": ["10.0.0.0/8"],
            "customAttributes": {"team": "infra"},
        },
        {
            "name": "tenant key",
            "expireTime": LATER,
            "keyTenants": [{"tenantId": "acme", "roleNames": ["operator"]}],
        },
    ]
    assert sent(emulator, "/v1/mgmt/accesskey/update") == [
        {
            "id": ci,
            "name": "ci renamed",
            "description": "Renamed",
            "roleNames": ["viewer"],
            "customClaims": {"env": "dev"},
            "permittedIps": ["10.1.2.3"],
        }
    ]
    assert sent(emulator, "/v1/mgmt/accesskey/search")[1] == {"tenantIds": ["acme"]}
    assert sent(emulator, "/v1/mgmt/accesskey/deactivate/batch") == [{"ids": [ci, tenant_key]}]
    assert sent(emulator, "/v1/mgmt/accesskey/rotate") == [{"id": ci}]
    assert sent(emulator, "/v1/mgmt/accesskey/delete/batch") == [{"ids": [ci]}]


def test_access_key_errors(node: str, emulator: EmulatorServer) -> None:
    seed(emulator)
    ghost = "K" + "0" * 27
    results = run(
        node,
        emulator,
        call("accessKey.load", ghost),
        call("accessKey.update", ghost, "x"),
        call("accessKey.activate", ghost),
        call("accessKey.deactivate", ghost),
        call("accessKey.rotate", ghost),
        call("accessKey.delete", ghost),
        call("accessKey.deleteBatch", [ghost]),
        call("accessKey.create", "k", 0, U, [{"tenantId": "nobody", "roleNames": []}]),
        call("accessKey.create", "k", 1),  # already expired
        call("accessKey.create", "k", 0, ["viewer"], [{"tenantId": "acme", "roleNames": ["operator"]}]),
        call("accessKey.searchAll"),
    )
    assert_error(results[0], 404, ACCESS_KEY_NOT_FOUND)
    for result in results[1:7]:
        assert_error(result, 400, ACCESS_KEY_NOT_FOUND)
    assert_error(results[7], 400, TENANT_NOT_FOUND)
    assert "expireTime" in assert_error(results[8], 400, "E011004")["errorMessage"]
    assert_error(results[9], 400, "E011004")
    assert assert_ok(results[10]) == []


def test_sso_redirect_recalculate_and_deprecated_v1_calls(
    node: str, emulator: EmulatorServer, ts: TypeScriptTypes
) -> None:
    seed(emulator)
    results = run(
        node,
        emulator,
        call("sso.configureSSORedirectURL", "acme", "https://app.acme.com/saml"),  # nothing to redirect yet
        call(
            "sso.configureMapping",
            "acme",
            [{"groups": ["ops"], "roleName": "operator"}],
            {"name": "displayName", "email": "mail"},
            ["viewer"],
        ),
        call(
            "sso.configureSettings",
            "acme",
            "https://idp.example/saml",
            "MIIC-cert",
            "https://idp.example/entity",
            "https://app.acme.com/after",
            ["acme.com"],
        ),
        call("sso.getSettings", "acme"),
        call(
            "sso.configureMetadata",
            "acme",
            "https://idp.example/metadata",
            "https://app.acme.com/m",
            ["acme.com"],
        ),
        call("sso.loadSettings", "acme"),
        call("sso.newSettings", "acme", "okta", "Okta"),
        call(
            "sso.configureSSORedirectURL",
            "acme",
            "https://okta.acme.com/saml",
            "https://okta.acme.com/oauth",
            "okta",
        ),
        call("sso.configureSSORedirectURL", "acme", U, "https://app.acme.com/oauth"),
        call("sso.loadAllSettings", "acme"),
        call("sso.recalculateSSOMappings", "acme", "okta"),
        call("sso.recalculateSSOMappings", "acme", "ghost"),
        call("sso.recalculateSSOMappings", "nobody"),
        call("sso.getSettings", "nobody"),
    )
    assert_error(results[0], 400, SSO_NOT_FOUND)
    for index in (1, 2):
        assert_ok(results[index])
    flat = assert_ok(results[3])
    conforms(ts, flat, "SSOSettingsResponse")
    assert (flat["tenantId"], flat["idpSSOUrl"], flat["idpEntityId"], flat["redirectUrl"]) == (
        "acme",
        "https://idp.example/saml",
        "https://idp.example/entity",
        "https://app.acme.com/after",
    )
    assert (flat["domains"], flat["domain"]) == (["acme.com"], "acme.com")
    # The mapping set first survived the v1 configure; the flat answer is not converted by the SDK.
    assert (flat["userMapping"]["name"], flat["userMapping"]["email"]) == ("displayName", "mail")
    assert [(m["role"]["name"], m["groups"]) for m in flat["groupsMapping"]] == [("operator", ["ops"])]
    assert_ok(results[4])
    by_metadata = assert_ok(results[5])
    conforms(ts, by_metadata, "SSOSettings")
    saml = by_metadata["saml"]
    assert (saml["idpMetadataUrl"], saml["idpSSOUrl"], saml["redirectUrl"]) == (
        "https://idp.example/metadata",
        "",
        "https://app.acme.com/m",
    )
    assert saml["attributeMapping"]["name"] == "displayName"
    assert saml["defaultSSORoles"] == ["viewer"]
    assert by_metadata["tenant"]["authType"] == "saml"
    for index in (6, 7, 8):
        assert_ok(results[index])
    configs = {c["ssoId"]: c for c in assert_ok(results[9])}
    assert (configs["okta"]["saml"]["redirectUrl"], configs["okta"]["oidc"]["redirectUrl"]) == (
        "https://okta.acme.com/saml",
        "https://okta.acme.com/oauth",
    )
    default = configs[DEFAULT_SSO_ID]
    assert (default["saml"]["redirectUrl"], default["oidc"]["redirectUrl"]) == (
        "https://app.acme.com/m",  # only the OAuth URL was sent
        "https://app.acme.com/oauth",
    )
    assert default["tenant"]["authType"] == "saml"  # a redirect change does not switch the protocol
    assert_ok(results[10])
    assert_error(results[11], 400, SSO_NOT_FOUND)
    assert_error(results[12], 400, TENANT_NOT_FOUND)
    assert_error(results[13], 404, TENANT_NOT_FOUND)

    assert sent(emulator, "/v1/mgmt/sso/redirect") == [
        {"tenantId": "acme", "samlRedirectUrl": "https://app.acme.com/saml"},
        {
            "tenantId": "acme",
            "samlRedirectUrl": "https://okta.acme.com/saml",
            "oauthRedirectUrl": "https://okta.acme.com/oauth",
            "ssoId": "okta",
        },
        {"tenantId": "acme", "oauthRedirectUrl": "https://app.acme.com/oauth"},
    ]
    assert sent(emulator, "/v1/mgmt/sso/mapping") == [
        {
            "tenantId": "acme",
            "roleMappings": [{"groups": ["ops"], "roleName": "operator"}],
            "attributeMapping": {"name": "displayName", "email": "mail"},
            "defaultSSORoles": ["viewer"],
        }
    ]
    posted = [r["body"] for r in emulator.requests() if r["path"] == "/v1/mgmt/sso/settings" and r["body"]]
    assert posted == [
        {
            "tenantId": "acme",
            "idpURL": "https://idp.example/saml",
            "entityId": "https://idp.example/entity",
            "idpCert": "MIIC-cert",
            "redirectURL": "https://app.acme.com/after",
            "domains": ["acme.com"],
        }
    ]
    assert sent(emulator, "/v1/mgmt/sso/metadata") == [
        {
            "tenantId": "acme",
            "idpMetadataURL": "https://idp.example/metadata",
            "redirectURL": "https://app.acme.com/m",
            "domains": ["acme.com"],
        }
    ]
    assert sent(emulator, "/v1/mgmt/sso/recalculate-mappings") == [
        {"tenantId": "acme", "ssoId": "okta"},
        {"tenantId": "acme", "ssoId": "ghost"},
        {"tenantId": "nobody"},
    ]
