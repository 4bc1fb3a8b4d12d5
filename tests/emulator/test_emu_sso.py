"""Tenant SSO configurations over raw HTTP: every endpoint, answer shapes, errors, the write-only OIDC
secret, faults on the new write routes, console-edit hooks and seeding."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from descope_emulator import DescopeError, EmulatorServer
from descope_emulator.sso import DEFAULT_SSO_ID, SSO_NOT_FOUND
from emu_support import admin, api, assert_error

from tests.support.clock import FakeClock

NEW = "/v1/mgmt/sso/settings/new"
OIDC = "/v1/mgmt/sso/oidc"
SAML = "/v1/mgmt/sso/saml"
SAML_METADATA = "/v1/mgmt/sso/saml/metadata"
AUTH_TYPE = "/v1/mgmt/sso/settings/authtype"
LOAD = "/v2/mgmt/sso/settings"
LOAD_ALL = "/v2/mgmt/sso/settings/all"
DELETE = "/v1/mgmt/sso/settings"
LINK = "/v2/mgmt/tenant/adminlinks/sso/generate"
REVOKE = "/v1/mgmt/tenant/adminlinks/sso/revoke"
SECRET = "oidc-client-secret-value-8d1f"


@pytest.fixture
def tenant(emulator: EmulatorServer) -> str:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.state.create_role({"name": "viewer"})
    emulator.state.create_role({"name": "admin", "tenantId": "acme"})
    return "acme"


def oidc_body(tenant_id: str, **overrides: Any) -> dict[str, Any]:
    settings = {
        "name": "Okta",
        "clientId": "client-1",
        "clientSecret": SECRET,
        "authUrl": "https://idp.example/auth",
        "tokenUrl": "https://idp.example/token",
        "userDataUrl": "https://idp.example/userinfo",
        "JWKsUrl": "https://idp.example/jwks",
        "issuer": "https://idp.example",
        "scope": ["openid", "email"],
        "prompt": ["login"],
        "grantType": "authorization_code",
        "roleMappings": [{"groups": ["staff"], "roleName": "viewer"}],
        "defaultSSORoles": ["admin"],
    }
    settings.update(overrides.pop("settings", {}))
    return {"tenantId": tenant_id, "settings": settings, "domains": ["acme.com"], **overrides}


def saml_body(tenant_id: str, **overrides: Any) -> dict[str, Any]:
    settings = {
        "idpUrl": "https://idp.example/saml",
        "entityId": "urn:idp",
        "idpCert": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        "idpAdditionalCerts": ["CERT2"],
        "attributeMapping": {"name": "displayName", "email": "mail", "customAttributes": {"dept": "ou"}},
        "roleMappings": [{"groups": ["admins"], "roleName": "admin"}],
    }
    settings.update(overrides.pop("settings", {}))
    return {
        "tenantId": tenant_id,
        "settings": settings,
        "redirectUrl": "https://app.acme.com/after",
        "domains": ["acme.io"],
        **overrides,
    }


def load(emulator: EmulatorServer, tenant_id: str, sso_id: str | None = None) -> dict[str, Any]:
    query = f"?tenantId={tenant_id}" + (f"&ssoId={sso_id}" if sso_id else "")
    response = api(emulator, "GET", LOAD + query)
    assert response.status_code == 200, response.text
    return dict(response.json())


def ok(response: requests.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


# ----- slots and loads ----------------------------------------------------------------------------


def test_new_slot_answers_the_load_shape(emulator: EmulatorServer, tenant: str) -> None:
    created = ok(api(emulator, "POST", NEW, {"tenantId": tenant, "ssoId": "okta", "displayName": "Okta"}))
    assert set(created) == {"tenant", "saml", "oidc", "ssoId", "displayName"}
    assert (created["ssoId"], created["displayName"]) == ("okta", "Okta")
    assert (created["tenant"]["id"], created["tenant"]["authType"], created["tenant"]["domains"]) == (
        tenant,
        "none",
        [],
    )
    assert created["oidc"]["clientSecret"] == ""
    assert created["saml"]["spACSUrl"].startswith("https://")
    assert load(emulator, tenant, "okta") == created
    assert ok(api(emulator, "GET", f"{LOAD_ALL}?tenantId={tenant}")) == {"SSOSettings": [created]}


def test_new_slot_generates_an_id_and_rejects_duplicates(emulator: EmulatorServer, tenant: str) -> None:
    generated = ok(api(emulator, "POST", NEW, {"tenantId": tenant, "displayName": "Generated"}))["ssoId"]
    assert generated.startswith("SSO") and len(generated) == 27
    assert_error(
        api(emulator, "POST", NEW, {"tenantId": tenant, "ssoId": generated, "displayName": "Again"}),
        400,
        "E011004",
    )
    assert_error(api(emulator, "POST", NEW, {"tenantId": tenant}), 400, "E011002")
    assert_error(api(emulator, "POST", NEW, {"displayName": "x"}), 400, "E011002")
    assert_error(api(emulator, "POST", NEW, {"tenantId": "nope", "displayName": "x"}), 400, "E112202")
    assert emulator.state.sso.ids(tenant) == [generated]


def test_sp_values_are_derived_deterministically(emulator: EmulatorServer, tenant: str) -> None:
    first = ok(api(emulator, "POST", NEW, {"tenantId": tenant, "ssoId": "a", "displayName": "A"}))["saml"]
    second = ok(api(emulator, "POST", NEW, {"tenantId": tenant, "ssoId": "b", "displayName": "B"}))["saml"]
    assert emulator.project_id in first["spACSUrl"] and tenant in first["spACSUrl"]
    assert first["spACSUrl"].endswith("/a") and second["spACSUrl"].endswith("/b")
    assert first["spEntityId"] != second["spEntityId"]
    with EmulatorServer() as other:
        other.state.create_tenant({"id": "acme", "name": "Acme"})
        again = ok(api(other, "POST", NEW, {"tenantId": "acme", "ssoId": "a", "displayName": "A"}))["saml"]
    assert (again["spACSUrl"], again["spEntityId"]) == (first["spACSUrl"], first["spEntityId"])


def test_load_errors(emulator: EmulatorServer, tenant: str) -> None:
    assert_error(api(emulator, "GET", LOAD), 400, "E011002")
    assert_error(api(emulator, "GET", f"{LOAD}?tenantId=nope"), 404, "E112202")
    error = assert_error(api(emulator, "GET", f"{LOAD}?tenantId={tenant}"), 404, SSO_NOT_FOUND)
    assert DEFAULT_SSO_ID in error["errorMessage"]
    assert_error(api(emulator, "GET", f"{LOAD}?tenantId={tenant}&ssoId=missing"), 404, SSO_NOT_FOUND)
    assert_error(api(emulator, "GET", LOAD_ALL), 400, "E011002")
    assert_error(api(emulator, "GET", f"{LOAD_ALL}?tenantId=nope"), 404, "E112202")
    assert ok(api(emulator, "GET", f"{LOAD_ALL}?tenantId={tenant}")) == {"SSOSettings": []}


# ----- OIDC ---------------------------------------------------------------------------------------


def test_oidc_round_trip_never_echoes_the_secret(emulator: EmulatorServer, tenant: str) -> None:
    assert ok(api(emulator, "POST", OIDC, oidc_body(tenant))) == {}
    loaded = load(emulator, tenant)
    assert loaded["ssoId"] == DEFAULT_SSO_ID
    oidc = loaded["oidc"]
    assert oidc["clientSecret"] == ""
    assert (oidc["name"], oidc["clientId"], oidc["issuer"]) == ("Okta", "client-1", "https://idp.example")
    assert (oidc["scope"], oidc["prompt"], oidc["grantType"]) == (
        ["openid", "email"],
        ["login"],
        "authorization_code",
    )
    assert oidc["userAttrMapping"]["loginId"] == "sub"  # the default mapping when none is sent
    viewer_id = emulator.state.role_id("", "viewer")
    assert oidc["groupsMapping"] == [{"role": {"id": viewer_id, "name": "viewer"}, "groups": ["staff"]}]
    assert oidc["defaultSSORoles"] == ["admin"]
    assert oidc["lastSuccessTestTime"] == 0
    assert (loaded["tenant"]["authType"], loaded["tenant"]["domains"]) == ("oidc", ["acme.com"])
    assert emulator.state.sso.client_secret_matches(tenant, DEFAULT_SSO_ID, SECRET)
    everything = json.dumps([loaded, emulator.state.dump(), emulator.requests()])
    assert SECRET not in everything


def test_oidc_configure_replaces_the_protocol_settings_but_keeps_an_unsent_secret(
    emulator: EmulatorServer, tenant: str
) -> None:
    ok(api(emulator, "POST", OIDC, oidc_body(tenant)))
    resend = oidc_body(
        tenant, settings={"clientSecret": "", "issuer": None, "scope": None, "roleMappings": None}
    )
    ok(api(emulator, "POST", OIDC, {**resend, "domains": None}))
    oidc = load(emulator, tenant)["oidc"]
    assert (oidc["issuer"], oidc["scope"]) == ("", [])
    assert load(emulator, tenant)["tenant"]["domains"] == []
    assert emulator.state.sso.client_secret_matches(
        tenant, DEFAULT_SSO_ID, SECRET
    )  # an empty secret keeps it
    assert [m["groups"] for m in oidc["groupsMapping"]] == [["staff"]]  # an absent mapping is kept
    ok(api(emulator, "POST", OIDC, oidc_body(tenant, settings={"clientSecret": "rotated"})))
    assert emulator.state.sso.client_secret_matches(tenant, DEFAULT_SSO_ID, "rotated")
    assert not emulator.state.sso.client_secret_matches(tenant, DEFAULT_SSO_ID, SECRET)


@pytest.mark.parametrize(
    ("settings", "code"),
    [
        ({"clientId": ""}, "E011002"),
        ({"grantType": "password"}, "E011004"),
        ({"prompt": ["sometimes"]}, "E011004"),
        ({"grantType": "implicit", "usePkce": True}, "E011004"),
        ({"roleMappings": [{"groups": ["g"], "roleName": ""}]}, "E011004"),
        ({"roleMappings": [{"groups": ["g"], "roleName": "ghost"}]}, "E011004"),
        ({"defaultSSORoles": ["ghost"]}, "E011004"),
        ({"scope": "openid"}, "E011003"),
    ],
)
def test_oidc_invalid_arguments_change_nothing(
    emulator: EmulatorServer, tenant: str, settings: dict[str, Any], code: str
) -> None:
    assert_error(api(emulator, "POST", OIDC, oidc_body(tenant, settings=settings)), 400, code)
    assert emulator.state.sso.count() == 0
    assert emulator.state.get_tenant(tenant)["authType"] == "none"  # type: ignore[index]


def test_oidc_accepts_go_style_groups_mapping(emulator: EmulatorServer, tenant: str) -> None:
    body = oidc_body(
        tenant,
        settings={"roleMappings": None, "groupsMapping": [{"role": {"name": "admin"}, "groups": ["ops"]}]},
    )
    ok(api(emulator, "POST", OIDC, body))
    assert [(m["role"]["name"], m["groups"]) for m in load(emulator, tenant)["oidc"]["groupsMapping"]] == [
        ("admin", ["ops"])
    ]


def test_missing_settings_and_unknown_ids(emulator: EmulatorServer, tenant: str) -> None:
    assert_error(api(emulator, "POST", OIDC, {"tenantId": tenant}), 400, "E011002")
    assert_error(api(emulator, "POST", OIDC, oidc_body("nope")), 400, "E112202")
    assert_error(api(emulator, "POST", OIDC, oidc_body(tenant, ssoId="never-created")), 400, SSO_NOT_FOUND)
    assert_error(api(emulator, "POST", SAML, saml_body(tenant, ssoId="never-created")), 400, SSO_NOT_FOUND)
    assert emulator.state.sso.count() == 0


# ----- SAML ---------------------------------------------------------------------------------------


def test_saml_round_trip_and_answer_names(emulator: EmulatorServer, tenant: str) -> None:
    assert ok(api(emulator, "POST", SAML, saml_body(tenant))) == {}
    loaded = load(emulator, tenant)
    saml = loaded["saml"]
    assert saml["idpSSOUrl"] == "https://idp.example/saml"
    assert saml["idpEntityId"] == "urn:idp"
    assert saml["idpCertificate"].startswith("-----BEGIN CERTIFICATE-----")
    assert saml["idpAdditionalCertificates"] == ["CERT2"]
    assert saml["idpMetadataUrl"] == ""
    assert saml["redirectUrl"] == "https://app.acme.com/after"
    assert saml["attributeMapping"]["name"] == "displayName"
    assert saml["attributeMapping"]["customAttributes"] == {"dept": "ou"}
    admin_id = emulator.state.role_id(tenant, "admin")
    assert saml["groupsMapping"] == [{"role": {"id": admin_id, "name": "admin"}, "groups": ["admins"]}]
    assert saml["spCertificate"] == ""
    assert (loaded["tenant"]["authType"], loaded["tenant"]["domains"]) == ("saml", ["acme.io"])
    assert emulator.state.get_tenant(tenant)["authType"] == "saml"  # type: ignore[index]


def test_saml_migration_overrides_of_sp_values(emulator: EmulatorServer, tenant: str) -> None:
    body = saml_body(tenant, settings={"spACSUrl": "https://old/acs", "spEntityId": "urn:old"})
    ok(api(emulator, "POST", SAML, body))
    saml = load(emulator, tenant)["saml"]
    assert (saml["spACSUrl"], saml["spEntityId"]) == ("https://old/acs", "urn:old")


def test_saml_by_metadata_replaces_the_manual_settings(emulator: EmulatorServer, tenant: str) -> None:
    ok(api(emulator, "POST", SAML, saml_body(tenant)))
    metadata = {
        "tenantId": tenant,
        "settings": {"idpMetadataUrl": "https://idp.example/metadata.xml", "entityId": "urn:idp:meta"},
        "domains": ["acme.io"],
    }
    ok(api(emulator, "POST", SAML_METADATA, metadata))
    saml = load(emulator, tenant)["saml"]
    assert saml["idpMetadataUrl"] == "https://idp.example/metadata.xml"
    assert (saml["idpSSOUrl"], saml["idpCertificate"], saml["idpEntityId"]) == ("", "", "urn:idp:meta")
    assert saml["redirectUrl"] == ""  # not sent: reset
    assert_error(api(emulator, "POST", SAML_METADATA, {"tenantId": tenant, "settings": {}}), 400, "E011002")


@pytest.mark.parametrize("missing", ["idpUrl", "entityId", "idpCert"])
def test_saml_required_settings(emulator: EmulatorServer, tenant: str, missing: str) -> None:
    body = saml_body(tenant)
    del body["settings"][missing]
    error = assert_error(api(emulator, "POST", SAML, body), 400, "E011002")
    assert missing in error["errorMessage"]


def test_default_sso_roles_keep_unless_replaced(emulator: EmulatorServer, tenant: str) -> None:
    ok(api(emulator, "POST", SAML, saml_body(tenant, settings={"defaultSSORoles": ["viewer"]})))
    ok(api(emulator, "POST", SAML, saml_body(tenant, settings={"defaultSSORoles": []})))
    assert load(emulator, tenant)["saml"]["defaultSSORoles"] == ["viewer"]
    ok(
        api(
            emulator,
            "POST",
            SAML,
            saml_body(tenant, settings={"defaultSSORoles": [], "replaceDefaultSSORoles": True}),
        )
    )
    assert load(emulator, tenant)["saml"]["defaultSSORoles"] == []


def test_switching_protocols_keeps_the_other_settings_for_auth_type(
    emulator: EmulatorServer, tenant: str
) -> None:
    ok(api(emulator, "POST", OIDC, oidc_body(tenant)))
    ok(api(emulator, "POST", SAML, saml_body(tenant)))
    loaded = load(emulator, tenant)
    assert loaded["tenant"]["authType"] == "saml"
    assert loaded["oidc"]["clientId"] == "client-1"
    ok(api(emulator, "POST", AUTH_TYPE, {"tenantId": tenant, "authType": "oidc"}))
    assert emulator.state.get_tenant(tenant)["authType"] == "oidc"  # type: ignore[index]
    ok(api(emulator, "POST", AUTH_TYPE, {"tenantId": tenant, "authType": "none"}))
    assert load(emulator, tenant)["tenant"]["authType"] == "none"
    assert_error(api(emulator, "POST", AUTH_TYPE, {"tenantId": tenant, "authType": "ldap"}), 400, "E011004")
    assert_error(api(emulator, "POST", AUTH_TYPE, {"tenantId": tenant}), 400, "E011002")


def test_sso_domains_belong_to_one_tenant(emulator: EmulatorServer, tenant: str) -> None:
    emulator.state.create_tenant({"id": "globex", "name": "Globex"})
    ok(api(emulator, "POST", SAML, saml_body(tenant, domains=["shared.com"])))
    error = assert_error(
        api(
            emulator,
            "POST",
            OIDC,
            oidc_body("globex", domains=["SHARED.com"], settings={"defaultSSORoles": ["viewer"]}),
        ),
        400,
        "E011004",
    )
    assert "already exists" in error["errorMessage"]
    assert_error(api(emulator, "POST", OIDC, oidc_body(tenant, domains=[" "])), 400, "E011004")
    ok(api(emulator, "POST", OIDC, oidc_body(tenant, domains=["shared.com"])))  # the same tenant may reuse it


# ----- several configurations, the tenant object, delete ------------------------------------------


def test_several_configurations_and_the_tenant_follows_the_default(
    emulator: EmulatorServer, tenant: str
) -> None:
    ok(api(emulator, "POST", NEW, {"tenantId": tenant, "ssoId": "second", "displayName": "Second"}))
    ok(api(emulator, "POST", SAML, saml_body(tenant, ssoId="second", domains=["second.io"])))
    assert emulator.state.get_tenant(tenant)["authType"] == "none"  # type: ignore[index]
    second = load(emulator, tenant, "second")
    assert (second["tenant"]["authType"], second["tenant"]["domains"]) == ("saml", ["second.io"])
    ok(api(emulator, "POST", OIDC, oidc_body(tenant)))  # creates the default configuration
    tenant_object = emulator.state.get_tenant(tenant)
    assert (tenant_object["authType"], tenant_object["domains"]) == ("oidc", ["acme.com"])  # type: ignore[index]
    listed = ok(api(emulator, "GET", f"{LOAD_ALL}?tenantId={tenant}"))["SSOSettings"]
    assert [(c["ssoId"], c["tenant"]["authType"]) for c in listed] == [
        ("second", "saml"),
        (DEFAULT_SSO_ID, "oidc"),
    ]
    settings = ok(api(emulator, "GET", f"/v1/mgmt/tenant/settings?id={tenant}"))
    assert (settings["authType"], settings["domains"]) == ("oidc", ["acme.com"])

    assert ok(api(emulator, "DELETE", f"{DELETE}?tenantId={tenant}")) == {}
    tenant_object = emulator.state.get_tenant(tenant)
    assert (tenant_object["authType"], tenant_object["domains"]) == ("none", [])  # type: ignore[index]
    assert ok(api(emulator, "DELETE", f"{DELETE}?tenantId={tenant}&ssoId=second")) == {}
    assert emulator.state.sso.count() == 0


def test_delete_errors(emulator: EmulatorServer, tenant: str) -> None:
    assert_error(api(emulator, "DELETE", DELETE), 400, "E011002")
    assert_error(api(emulator, "DELETE", f"{DELETE}?tenantId=nope"), 400, "E112202")
    assert_error(api(emulator, "DELETE", f"{DELETE}?tenantId={tenant}"), 400, SSO_NOT_FOUND)
    assert_error(api(emulator, "DELETE", f"{DELETE}?tenantId={tenant}&ssoId=x"), 400, SSO_NOT_FOUND)
    # (POST on this path is the deprecated v1 SAML configure, GET the v1 load.)
    assert_error(api(emulator, "PUT", DELETE, {"tenantId": tenant}), 405, "E000405")


def test_deleting_the_tenant_deletes_its_configurations(emulator: EmulatorServer, tenant: str) -> None:
    ok(api(emulator, "POST", SAML, saml_body(tenant, domains=["acme.io"])))
    ok(api(emulator, "POST", "/v1/mgmt/tenant/delete", {"id": tenant}))
    assert emulator.state.sso.count() == 0
    emulator.state.create_tenant({"id": "other", "name": "Other"})
    ok(
        api(emulator, "POST", SAML, saml_body("other", domains=["acme.io"], settings={"roleMappings": []}))
    )  # the domain is free again


# ----- admin links --------------------------------------------------------------------------------


def test_admin_link_generate_and_revoke() -> None:
    clock = FakeClock(1_700_000_000)
    with EmulatorServer(wall_clock=clock) as emulator:
        emulator.state.create_tenant({"id": "acme", "name": "Acme"})
        link = ok(
            api(emulator, "POST", LINK, {"tenantId": "acme", "expireTime": 3600, "email": "it@acme.com"})
        )["adminSSOConfigurationLink"]
        assert link.startswith("https://") and len(link.rpartition("?t=")[2]) >= 32
        assert emulator.state.sso.admin_link_valid("acme", link)
        assert link not in json.dumps([emulator.state.dump(), emulator.requests()])
        again = ok(api(emulator, "POST", LINK, {"tenantId": "acme"}))["adminSSOConfigurationLink"]
        assert again != link and not emulator.state.sso.admin_link_valid("acme", link)
        clock.advance(7 * 24 * 3600)  # the default lifetime
        assert not emulator.state.sso.admin_link_valid("acme", again)
        fresh = ok(api(emulator, "POST", LINK, {"tenantId": "acme", "expireTime": 60}))[
            "adminSSOConfigurationLink"
        ]
        assert ok(api(emulator, "POST", REVOKE, {"tenantId": "acme"})) == {}
        assert not emulator.state.sso.admin_link_valid("acme", fresh)
        assert_error(api(emulator, "POST", LINK, {"tenantId": "nope"}), 400, "E112202")
        assert_error(api(emulator, "POST", LINK, {"tenantId": "acme", "ssoId": "x"}), 400, SSO_NOT_FOUND)
        assert_error(api(emulator, "POST", LINK, {"tenantId": "acme", "expireTime": -1}), 400, "E011003")
        assert_error(api(emulator, "POST", REVOKE, {"tenantId": "acme", "ssoId": "x"}), 400, SSO_NOT_FOUND)
        assert_error(api(emulator, "POST", REVOKE, {}), 400, "E011002")


# ----- secrets in the request log, faults on the write routes --------------------------------------


def test_the_request_log_never_holds_the_client_secret(emulator: EmulatorServer, tenant: str) -> None:
    ok(api(emulator, "POST", OIDC, oidc_body(tenant)))
    emulator.queue_fault("lost_response", path=OIDC)
    with pytest.raises(requests.ConnectionError):
        api(emulator, "POST", OIDC, oidc_body(tenant, settings={"clientSecret": SECRET + "-2"}))
    assert_error(
        api(emulator, "POST", OIDC, oidc_body(tenant, settings={"clientSecret": SECRET, "clientId": ""})),
        400,
        "E011002",
    )
    logged = [entry for entry in emulator.requests() if entry["path"] == OIDC]
    assert len(logged) == 3
    assert all(entry["body"]["settings"]["clientSecret"] == "<redacted>" for entry in logged)
    assert logged[0]["body"]["settings"]["clientId"] == "client-1"  # the rest of the body stays readable
    assert SECRET not in json.dumps(admin(emulator, "GET", "/requests").json())
    assert SECRET not in json.dumps(admin(emulator, "GET", "/state").json())


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", NEW, {"tenantId": "acme", "ssoId": "okta", "displayName": "Okta"}),
        ("POST", OIDC, None),
        ("POST", SAML, None),
    ],
)
def test_lost_response_commits_the_sso_write(
    emulator: EmulatorServer, tenant: str, method: str, path: str, body: dict[str, Any] | None
) -> None:
    payload = body or (oidc_body(tenant) if path == OIDC else saml_body(tenant))
    emulator.queue_fault("lost_response", path=path)
    with pytest.raises(requests.ConnectionError):
        api(emulator, method, path, payload)
    assert emulator.state.sso.count() == 1
    assert emulator.stats()["requests"][f"{method} {path}"] == {"lost_response": 1}


def test_delete_with_lost_response_and_5xx(emulator: EmulatorServer, tenant: str) -> None:
    ok(api(emulator, "POST", SAML, saml_body(tenant)))
    emulator.queue_fault("error", path=DELETE, status=503)
    assert api(emulator, "DELETE", f"{DELETE}?tenantId={tenant}").status_code == 503
    assert emulator.state.sso.count() == 1  # a 5xx fault is not processed
    emulator.queue_fault("lost_response", method="DELETE", path=DELETE)
    with pytest.raises(requests.ConnectionError):
        api(emulator, "DELETE", f"{DELETE}?tenantId={tenant}")
    assert emulator.state.sso.count() == 0
    emulator.queue_fault("reset", path=LINK)
    with pytest.raises(requests.ConnectionError):
        api(emulator, "POST", LINK, {"tenantId": tenant})
    emulator.queue_fault("malformed", path=LOAD_ALL, variant="truncated")
    with pytest.raises(ValueError):
        api(emulator, "GET", f"{LOAD_ALL}?tenantId={tenant}").json()


# ----- console edits and seeding -------------------------------------------------------------------


def test_console_edit_and_remove_hooks(emulator: EmulatorServer, tenant: str) -> None:
    ok(api(emulator, "POST", OIDC, oidc_body(tenant)))
    edited = emulator.state.sso.edit(
        tenant,
        domains=["edited.com"],
        roleMappings=[{"groups": ["everyone"], "roleName": "viewer"}],
        oidc={"issuer": "https://edited"},
        lastSuccessTestTime=1_700_000_123,
        displayName="Edited",
    )
    assert edited == load(emulator, tenant)
    assert (edited["tenant"]["domains"], edited["oidc"]["issuer"]) == (["edited.com"], "https://edited")
    assert [m["groups"] for m in edited["oidc"]["groupsMapping"]] == [["everyone"]]
    assert edited["saml"]["lastSuccessTestTime"] == edited["oidc"]["lastSuccessTestTime"] == 1_700_000_123
    assert emulator.state.get_tenant(tenant)["domains"] == ["edited.com"]  # type: ignore[index]
    assert emulator.state.sso.client_secret_matches(tenant, DEFAULT_SSO_ID, SECRET)
    emulator.state.sso.edit(tenant, oidc={"clientSecret": "changed-in-the-console"})
    assert emulator.state.sso.client_secret_matches(tenant, DEFAULT_SSO_ID, "changed-in-the-console")
    edited = emulator.state.sso.get(tenant)
    with pytest.raises(DescopeError, match="Role 'ghost' not found"):
        emulator.state.sso.edit(tenant, defaultSSORoles=["ghost"])
    assert emulator.state.sso.get(tenant) == edited  # a rejected edit changes nothing
    emulator.state.sso.remove(tenant)
    assert emulator.state.sso.get(tenant) is None
    assert_error(api(emulator, "GET", f"{LOAD}?tenantId={tenant}"), 404, SSO_NOT_FOUND)


def test_dump_and_seed_round_trip_without_plain_secrets(emulator: EmulatorServer, tenant: str) -> None:
    ok(api(emulator, "POST", OIDC, oidc_body(tenant)))
    ok(api(emulator, "POST", NEW, {"tenantId": tenant, "ssoId": "second", "displayName": "Second"}))
    ok(api(emulator, "POST", SAML, saml_body(tenant, ssoId="second")))
    before = [load(emulator, tenant), load(emulator, tenant, "second")]
    dumped = admin(emulator, "GET", "/state").json()
    assert SECRET not in json.dumps(dumped)
    with EmulatorServer() as copy:
        assert admin(copy, "POST", "/seed", dumped).json() == {"tenants": 1}
        assert [load(copy, tenant), load(copy, tenant, "second")] == before
        assert copy.state.sso.client_secret_matches(tenant, DEFAULT_SSO_ID, SECRET)
        assert copy.state.get_tenant(tenant)["authType"] == "oidc"  # type: ignore[index]


def test_seed_with_a_plain_secret_and_reset_clears(emulator: EmulatorServer) -> None:
    seed = {
        "tenants": [{"id": "acme", "name": "Acme"}],
        "ssoConfigurations": [
            {
                "tenantId": "acme",
                "displayName": "Seeded",
                "authType": "oidc",
                "domains": ["acme.com"],
                "oidc": {"name": "Okta", "clientId": "seeded"},
                "clientSecret": "seeded-secret",
            }
        ],
    }
    assert admin(emulator, "POST", "/seed", seed).json() == {"tenants": 1}
    assert load(emulator, "acme")["oidc"]["clientId"] == "seeded"
    assert emulator.state.sso.client_secret_matches("acme", DEFAULT_SSO_ID, "seeded-secret")
    assert emulator.state.get_tenant("acme")["authType"] == "oidc"  # type: ignore[index]
    assert admin(emulator, "POST", "/seed", {"ssoConfigurations": [{"tenantId": "nope"}]}).status_code == 400
    admin(emulator, "POST", "/reset")
    assert emulator.state.sso.count() == 0
