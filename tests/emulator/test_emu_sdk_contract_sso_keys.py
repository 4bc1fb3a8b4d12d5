"""Contract tests: the official ``descope`` Python SDK's SSO-settings, SSO admin-link and access-key calls
against the emulator. The SDK is the referee for paths, bodies and answer shapes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from descope import DescopeClient
from descope.exceptions import AuthException
from descope.management.common import AssociatedTenant
from descope.management.sso_settings import (
    AttributeMapping,
    OIDCAttributeMapping,
    RoleMapping,
    SSOOIDCSettings,
    SSOSAMLSettings,
    SSOSAMLSettingsByMetadata,
)
from descope_emulator import EmulatorServer
from descope_emulator.accesskeys import ACCESS_KEY_NOT_FOUND
from descope_emulator.sso import DEFAULT_SSO_ID, SSO_NOT_FOUND

SECRET = "sdk-oidc-secret-5c2e"


@pytest.fixture
def client(emulator: EmulatorServer) -> Iterator[DescopeClient]:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.state.create_role({"name": "viewer"})
    emulator.state.create_role({"name": "operator", "tenantId": "acme"})
    yield DescopeClient(
        project_id=emulator.project_id, management_key=emulator.management_key, base_url=emulator.url
    )


def error_code(exc: AuthException) -> str:
    match = re.search(r'"errorCode":\s*"(E\d+)"', str(exc.error_message))
    assert match, exc.error_message
    return match.group(1)


def oidc_settings(secret: str = SECRET) -> SSOOIDCSettings:
    return SSOOIDCSettings(
        name="Okta",
        client_id="client-1",
        client_secret=secret,
        auth_url="https://idp.example/auth",
        token_url="https://idp.example/token",
        user_data_url="https://idp.example/userinfo",
        scope=["openid", "profile"],
        jwks_url="https://idp.example/jwks",
        attribute_mapping=OIDCAttributeMapping(
            login_id="sub",
            name="name",
            given_name="given_name",
            middle_name="",
            family_name="family_name",
            email="email",
            verified_email="email_verified",
            username="preferred_username",
            phone_number="",
            verified_phone="",
            picture="picture",
        ),
        prompt=["consent"],
        grant_type="authorization_code",
        issuer="https://idp.example",
        use_pkce=True,
    )


def saml_settings(**overrides: object) -> SSOSAMLSettings:
    values: dict[str, object] = {
        "idp_url": "https://idp.example/saml",
        "idp_entity_id": "urn:idp",
        "idp_cert": "CERT",
        "attribute_mapping": AttributeMapping(
            name="displayName", email="mail", custom_attributes={"dept": "ou"}
        ),
        "role_mappings": [RoleMapping(["admins"], "operator")],
        "default_sso_roles": ["viewer"],
    }
    values.update(overrides)
    return SSOSAMLSettings(**values)  # type: ignore[arg-type]


def test_new_settings_load_all_and_delete(client: DescopeClient, emulator: EmulatorServer) -> None:
    sso = client.mgmt.sso
    created = sso.new_settings("acme", "Okta", sso_id="okta")
    assert (created["ssoId"], created["displayName"], created["tenant"]["id"]) == ("okta", "Okta", "acme")
    generated = sso.new_settings("acme", "Generated")["ssoId"]
    listed = sso.load_all_settings("acme")["SSOSettings"]
    assert [c["ssoId"] for c in listed] == ["okta", generated]
    sso.delete_settings("acme", sso_id="okta")
    assert [c["ssoId"] for c in sso.load_all_settings("acme")["SSOSettings"]] == [generated]
    with pytest.raises(AuthException) as excinfo:
        sso.delete_settings("acme", sso_id="okta")
    assert (excinfo.value.status_code, error_code(excinfo.value)) == (400, SSO_NOT_FOUND)
    with pytest.raises(AuthException) as excinfo:
        sso.load_settings("acme")  # no default configuration yet
    assert (excinfo.value.status_code, error_code(excinfo.value)) == (404, SSO_NOT_FOUND)
    with pytest.raises(AuthException) as excinfo:
        sso.load_all_settings("nope")
    assert error_code(excinfo.value) == "E112202"


def test_oidc_configure_and_load(client: DescopeClient, emulator: EmulatorServer) -> None:
    client.mgmt.sso.configure_oidc_settings("acme", oidc_settings(), domains=["acme.com"])
    loaded = client.mgmt.sso.load_settings("acme")
    assert loaded["ssoId"] == DEFAULT_SSO_ID
    oidc = loaded["oidc"]
    assert oidc["clientSecret"] == ""
    assert (oidc["name"], oidc["clientId"], oidc["JWKsUrl"]) == (
        "Okta",
        "client-1",
        "https://idp.example/jwks",
    )
    assert (oidc["scope"], oidc["prompt"], oidc["usePkce"]) == (["openid", "profile"], ["consent"], True)
    assert oidc["userAttrMapping"]["username"] == "preferred_username"
    assert (loaded["tenant"]["authType"], loaded["tenant"]["domains"]) == ("oidc", ["acme.com"])
    tenant = client.mgmt.tenant.load("acme")
    assert (tenant["authType"], tenant["domains"]) == ("oidc", ["acme.com"])
    assert emulator.state.sso.client_secret_matches("acme", DEFAULT_SSO_ID, SECRET)
    assert SECRET not in json.dumps([loaded, client.mgmt.sso.load_all_settings("acme"), emulator.requests()])

    client.mgmt.sso.configure_oidc_settings("acme", oidc_settings("new-secret"), domains=None)
    assert emulator.state.sso.client_secret_matches("acme", DEFAULT_SSO_ID, "new-secret")
    assert client.mgmt.tenant.load("acme")["domains"] == []


def test_saml_configure_by_hand_and_by_metadata(client: DescopeClient, emulator: EmulatorServer) -> None:
    sso = client.mgmt.sso
    sso.configure_saml_settings(
        "acme", saml_settings(), redirect_url="https://app/after", domains=["acme.io"]
    )
    saml = sso.load_settings("acme")["saml"]
    assert (saml["idpSSOUrl"], saml["idpEntityId"], saml["idpCertificate"]) == (
        "https://idp.example/saml",
        "urn:idp",
        "CERT",
    )
    assert saml["attributeMapping"]["customAttributes"] == {"dept": "ou"}
    assert [(m["role"]["name"], m["groups"]) for m in saml["groupsMapping"]] == [("operator", ["admins"])]
    assert saml["groupsMapping"][0]["role"]["id"] == emulator.state.role_id("acme", "operator")
    assert (saml["defaultSSORoles"], saml["redirectUrl"]) == (["viewer"], "https://app/after")
    assert saml["spACSUrl"].startswith("https://") and saml["spEntityId"]

    # None keeps the default SSO roles; the SDK turns an empty list into replaceDefaultSSORoles.
    sso.configure_saml_settings("acme", saml_settings(default_sso_roles=None), domains=["acme.io"])
    assert sso.load_settings("acme")["saml"]["defaultSSORoles"] == ["viewer"]
    sso.configure_saml_settings("acme", saml_settings(default_sso_roles=[]), domains=["acme.io"])
    assert sso.load_settings("acme")["saml"]["defaultSSORoles"] == []

    sso.configure_saml_settings_by_metadata(
        "acme",
        SSOSAMLSettingsByMetadata(idp_metadata_url="https://idp.example/meta.xml"),
        domains=["acme.io"],
    )
    saml = sso.load_settings("acme")["saml"]
    assert (saml["idpMetadataUrl"], saml["idpSSOUrl"]) == ("https://idp.example/meta.xml", "")
    assert saml["groupsMapping"] == []  # the SDK always sends roleMappings, here empty

    with pytest.raises(AuthException) as excinfo:
        sso.configure_saml_settings("acme", saml_settings(role_mappings=[RoleMapping(["g"], "ghost")]))
    assert (excinfo.value.status_code, error_code(excinfo.value)) == (400, "E011004")


def test_auth_type_switch(client: DescopeClient) -> None:
    sso = client.mgmt.sso
    sso.configure_oidc_settings("acme", oidc_settings())
    sso.configure_saml_settings("acme", saml_settings())
    assert client.mgmt.tenant.load("acme")["authType"] == "saml"
    sso.configure_auth_type("acme", "oidc")
    assert client.mgmt.tenant.load("acme")["authType"] == "oidc"
    assert sso.load_settings("acme")["oidc"]["clientId"] == "client-1"
    sso.new_settings("acme", "Other", sso_id="other")
    sso.configure_auth_type("acme", "saml", sso_id="other")
    assert client.mgmt.tenant.load("acme")["authType"] == "oidc"  # only the default one shows there


def test_admin_links(client: DescopeClient, emulator: EmulatorServer) -> None:
    link = client.mgmt.tenant.generate_sso_configuration_link("acme", expire_time=3600, email="it@acme.com")
    assert link.startswith("https://")
    assert emulator.state.sso.admin_link_valid("acme", link)
    client.mgmt.tenant.revoke_sso_configuration_link("acme")
    assert not emulator.state.sso.admin_link_valid("acme", link)
    with pytest.raises(AuthException) as excinfo:
        client.mgmt.tenant.generate_sso_configuration_link("acme", sso_id="missing")
    assert error_code(excinfo.value) == SSO_NOT_FOUND


def test_access_key_lifecycle(client: DescopeClient, emulator: EmulatorServer) -> None:
    keys = client.mgmt.access_key
    created = keys.create(
        "deployer",
        key_tenants=[AssociatedTenant("acme", ["operator"])],
        custom_claims={"team": "platform"},
        description="CI",
        permitted_ips=["10.0.0.0/8"],
        custom_attributes={"env": "prod"},
    )
    cleartext, key = created["cleartext"], created["key"]
    assert key["keyTenants"] == [{"tenantId": "acme", "tenantName": "Acme", "roleNames": ["operator"]}]
    assert (key["status"], key["expireTime"], key["description"]) == ("active", 0, "CI")
    assert keys.load(key["id"]) == {"key": key}
    assert keys.search_all_access_keys(tenant_ids=["acme"]) == {"keys": [key]}
    assert keys.search_all_access_keys(custom_attributes={"env": "dev"}) == {"keys": []}

    keys.update(key["id"], "deployer-2", permitted_ips=["192.168.0.1"])
    loaded = keys.load(key["id"])["key"]
    assert (loaded["name"], loaded["permittedIps"], loaded["description"]) == (
        "deployer-2",
        ["192.168.0.1"],
        "CI",
    )
    keys.deactivate(key["id"])
    assert keys.load(key["id"])["key"]["status"] == "inactive"
    keys.activate(key["id"])

    rotated = keys.rotate(key["id"])
    assert rotated["key"]["id"] == key["id"] and rotated["cleartext"] != cleartext
    assert emulator.state.access_keys.verify(cleartext) is None
    assert emulator.state.access_keys.verify(rotated["cleartext"]) == key["id"]
    seen = json.dumps([keys.load(key["id"]), keys.search_all_access_keys(), emulator.requests()])
    assert cleartext not in seen and rotated["cleartext"] not in seen

    second = keys.create("project-key", role_names=["viewer"])["key"]["id"]
    keys.deactivate_batch([key["id"], second])
    assert {k["status"] for k in keys.search_all_access_keys()["keys"]} == {"inactive"}
    keys.activate_batch([key["id"], second])
    keys.delete(key["id"])
    keys.delete_batch([second])
    assert keys.search_all_access_keys() == {"keys": []}


def test_access_key_errors(client: DescopeClient) -> None:
    keys = client.mgmt.access_key
    with pytest.raises(AuthException) as excinfo:
        keys.load("Kmissing")
    assert (excinfo.value.status_code, error_code(excinfo.value)) == (404, ACCESS_KEY_NOT_FOUND)
    with pytest.raises(AuthException) as excinfo:
        keys.create("both", role_names=["viewer"], key_tenants=[AssociatedTenant("acme")])
    assert (excinfo.value.status_code, error_code(excinfo.value)) == (400, "E011004")
    with pytest.raises(AuthException) as excinfo:
        keys.create("orphan", key_tenants=[AssociatedTenant("nope")])
    assert error_code(excinfo.value) == "E112202"
    with pytest.raises(AuthException) as excinfo:
        keys.rotate("Kmissing")
    assert error_code(excinfo.value) == ACCESS_KEY_NOT_FOUND


def test_lost_create_answer_surfaces_as_a_transport_error_but_commits(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    emulator.queue_fault("lost_response", path="/v1/mgmt/accesskey/create")
    with pytest.raises(httpx.TransportError):
        client.mgmt.access_key.create("ghost", role_names=["viewer"])
    found = client.mgmt.access_key.search_all_access_keys()["keys"]
    assert [(k["name"], k["status"]) for k in found] == [("ghost", "active")]


def test_sdk_retries_a_503_on_sso_configure(client: DescopeClient, emulator: EmulatorServer) -> None:
    emulator.queue_fault("error", path="/v1/mgmt/sso/oidc", status=503)
    client.mgmt.sso.configure_oidc_settings("acme", oidc_settings())
    assert emulator.stats()["requests"]["POST /v1/mgmt/sso/oidc"] == {"503": 1, "200": 1}
    assert emulator.state.sso.client_secret_matches("acme", DEFAULT_SSO_ID, SECRET)
