"""SSO applications on the emulator, driven by the official Python SDK (the referee for paths, bodies
and answers): create, load, list, full-override update, the client secret, delete; the built-in app;
the console edit route; an app a tenant lists cannot be deleted."""

from __future__ import annotations

from typing import Any

import pytest
from descope import DescopeClient
from descope.exceptions import AuthException
from descope.management.common import (
    SAMLIDPAttributeMappingInfo,
    SAMLIDPGroupsMappingInfo,
    SAMLIDPRoleGroupMappingInfo,
)
from descope_emulator import EmulatorServer
from emu_support import admin, api, assert_error


@pytest.fixture
def client(emulator: EmulatorServer) -> DescopeClient:
    return DescopeClient(
        project_id=emulator.project_id, management_key=emulator.management_key, base_url=emulator.url
    )


def test_oidc_app_round_trip_with_the_official_sdk(client: DescopeClient, emulator: EmulatorServer) -> None:
    sso = client.mgmt.sso_application
    created = sso.create_oidc_application(name="Portal", login_page_url="https://auth.example.com/login")
    app_id = created["id"]
    loaded = sso.load(app_id)
    assert loaded["name"] == "Portal" and loaded["appType"] == "oidc" and loaded["enabled"] is True
    assert loaded["oidcSettings"]["loginPageUrl"] == "https://auth.example.com/login"
    assert loaded["oidcSettings"]["clientId"], "Descope computes a client id"
    assert "clientSecret" not in loaded["oidcSettings"], "the secret is never in a load answer"
    secret = api(emulator, "GET", f"/v1/mgmt/sso/idp/app/secret?id={app_id}").json()["cleartext"]
    assert len(secret) >= 32

    # A full override: the description left out is cleared, the name changes in place.
    sso.update_oidc_application(id=app_id, name="Portal 2", login_page_url="https://auth.example.com/2")
    again = sso.load(app_id)
    assert again["name"] == "Portal 2" and again["id"] == app_id
    assert again["oidcSettings"]["clientId"] == loaded["oidcSettings"]["clientId"]

    ids = [app["id"] for app in sso.load_all()["apps"]]
    assert app_id in ids and emulator.project_id in ids, "the built-in app is listed too"
    sso.delete(app_id)
    with pytest.raises(AuthException):
        sso.load(app_id)


def test_saml_app_needs_metadata_or_sp_details(client: DescopeClient) -> None:
    sso = client.mgmt.sso_application
    created = sso.create_saml_application(
        name="Wiki",
        login_page_url="https://auth.example.com/login",
        entity_id="https://wiki.example.com/sp",
        acs_url="https://wiki.example.com/acs",
        certificate="-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----",
        attribute_mapping=[SAMLIDPAttributeMappingInfo("mail", "", "email")],
        groups_mapping=[
            SAMLIDPGroupsMappingInfo(
                "groups", "", "roles", "admins", [SAMLIDPRoleGroupMappingInfo("", "Tenant Admin")]
            )
        ],
        acs_allowed_callbacks=["https://wiki.example.com/*"],
    )
    loaded = sso.load(created["id"])
    saml = loaded["samlSettings"]
    assert loaded["appType"] == "saml" and saml["acsUrl"] == "https://wiki.example.com/acs"
    assert saml["attributeMapping"] == [{"name": "mail", "type": "", "value": "email"}]
    assert saml["groupsMapping"][0]["roles"] == [{"id": "", "name": "Tenant Admin"}]
    assert saml["idpEntityId"] and saml["idpSsoUrl"] and saml["idpMetadataUrl"]


def test_saml_without_sp_details_and_protocol_mismatch_are_refused(emulator: EmulatorServer) -> None:
    assert_error(api(emulator, "POST", "/v1/mgmt/sso/idp/app/saml/create", {"name": "Bad"}), 400, "E011002")
    oidc_id = api(emulator, "POST", "/v1/mgmt/sso/idp/app/oidc/create", {"name": "O"}).json()["id"]
    mismatch = api(
        emulator,
        "POST",
        "/v1/mgmt/sso/idp/app/saml/update",
        {"id": oidc_id, "name": "O", "metadataUrl": "x", "useMetadataInfo": True},
    )
    assert_error(mismatch, 400, "E011004")
    assert_error(api(emulator, "POST", "/v1/mgmt/sso/idp/app/delete", {"id": "nope"}), 400, "E117002")


def test_unknown_keys_survive_and_built_in_is_never_deleted(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    created = api(
        emulator,
        "POST",
        "/v1/mgmt/sso/idp/app/oidc/create",
        {"name": "Future", "loginPageUrl": "", "clientType": "confidential", "claims": ["email"]},
    ).json()
    loaded = client.mgmt.sso_application.load(created["id"])
    assert loaded["oidcSettings"]["clientType"] == "confidential"
    assert loaded["oidcSettings"]["claims"] == ["email"]

    with pytest.raises(AuthException):
        client.mgmt.sso_application.delete(emulator.project_id)
    assert client.mgmt.sso_application.load(emulator.project_id)["name"] == "OIDC default application"


def test_console_edit_and_tenant_reference(client: DescopeClient, emulator: EmulatorServer) -> None:
    app_id = client.mgmt.sso_application.create_oidc_application(name="Portal", login_page_url="")["id"]
    edited = admin(
        emulator, "POST", "/apps/edit", {"id": app_id, "name": "Edited", "forceAuthentication": True}
    )
    assert edited.status_code == 200, edited.text
    loaded = client.mgmt.sso_application.load(app_id)
    assert loaded["name"] == "Edited" and loaded["oidcSettings"]["forceAuthentication"] is True

    client.mgmt.tenant.create(name="Acme", id="acme")
    client.mgmt.tenant.update(id="acme", name="Acme", federated_app_ids=[app_id])
    with pytest.raises(AuthException) as refused:
        client.mgmt.sso_application.delete(app_id)
    assert "acme" in str(refused.value)
    client.mgmt.tenant.update(id="acme", name="Acme", federated_app_ids=[])
    client.mgmt.sso_application.delete(app_id)
    assert admin(emulator, "POST", "/apps/remove", {"id": app_id}).status_code >= 400


def go_oidc_request(app_id: str, name: str, *, create: bool) -> dict[str, Any]:
    """The Go SDK's makeCreateUpdateOIDCApplicationRequest: every field, zero values included (an unset
    string "", bool false, nil slice or map null); clientId and clientSecret on create only."""
    body: dict[str, Any] = {
        "id": app_id,
        "name": name,
        "description": "",
        "enabled": True,
        "logo": "",
        "loginPageUrl": "",
        "forceAuthentication": False,
        "jwtBearerSettings": None,
        "backChannelLogoutUrl": "",
        "clientType": "",
        "approvedRedirectUrls": None,
        "authorizationCodeDisabled": False,
        "clientCredentialsDisabled": False,
        "refreshTokenDisabled": False,
        "jwtBearerDisabled": False,
        "deviceCodeDisabled": False,
        "forcePkce": False,
        "defaultAudience": "",
        "customAttributes": None,
    }
    if create:
        body.update(clientId="", clientSecret="")
    return body


def test_go_sdk_bodies(emulator: EmulatorServer) -> None:
    created = api(
        emulator, "POST", "/v1/mgmt/sso/idp/app/oidc/create", go_oidc_request("", "Go", create=True)
    )
    assert created.status_code == 200, created.text
    app_id = created.json()["id"]
    assert app_id, "an empty id (Go's unset string) means: generate one"
    updated = api(
        emulator, "POST", "/v1/mgmt/sso/idp/app/oidc/update", go_oidc_request(app_id, "Go 2", create=False)
    )
    assert updated.status_code == 200, updated.text
    loaded = api(emulator, "GET", f"/v1/mgmt/sso/idp/app/load?id={app_id}").json()
    # The fields Go's SSOApplication decodes; the other protocol's settings are empty.
    assert loaded["name"] == "Go 2" and loaded["appType"] == "oidc" and loaded["samlSettings"]["acsUrl"] == ""
    assert loaded["oidcSettings"]["clientId"] and loaded["oidcSettings"]["clientType"] == ""
    secret = api(emulator, "GET", f"/v1/mgmt/sso/idp/app/secret?id={app_id}").json()
    assert set(secret) == {"cleartext"} and secret["cleartext"]
    saml = {
        "id": "",
        "name": "Go SAML",
        "description": "",
        "enabled": True,
        "logo": "",
        "loginPageUrl": "",
        "useMetadataInfo": True,
        "metadataUrl": "https://sp.example.com/metadata",
        "entityId": "",
        "acsUrl": "",
        "certificate": "",
        "attributeMapping": None,
        "groupsMapping": None,
        "acsAllowedCallbacks": None,
        "defaultRelayState": "",
        "subjectNameIdType": "",
        "subjectNameIdFormat": "",
        "forceAuthentication": False,
        "logoutRedirectUrl": "",
        "defaultSignatureAlgorithm": "",
        "customAttributes": None,
    }
    created = api(emulator, "POST", "/v1/mgmt/sso/idp/app/saml/create", saml)
    assert created.status_code == 200, created.text
    apps = {app["id"]: app for app in api(emulator, "GET", "/v1/mgmt/sso/idp/apps/load").json()["apps"]}
    assert apps[created.json()["id"]]["samlSettings"]["attributeMapping"] == []


def test_dump_loads_back(emulator: EmulatorServer) -> None:
    store = emulator.state
    store.sso_apps.create({"name": "Portal", "claims": ["email"]}, protocol="oidc")
    store.sso_apps.create(
        {"id": "wiki", "name": "Wiki", "useMetadataInfo": True, "metadataUrl": "m"}, protocol="saml"
    )
    store.edit_sso_app(emulator.project_id, description="edited built-in")
    dumped = store.dump()
    store.clear()
    assert [app["id"] for app in store.dump()["ssoApplications"]] == [emulator.project_id]
    store.load(dumped)
    assert store.dump()["ssoApplications"] == dumped["ssoApplications"]
