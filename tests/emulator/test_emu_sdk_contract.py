"""Contract tests: the official ``descope`` Python SDK against the emulator.

The SDK is the referee for paths, bodies, response shapes and error parsing: when it and the emulator
disagree, the emulator is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
import requests
from descope import DescopeClient
from descope.exceptions import AuthException, RateLimitException
from descope.management.common import SSOSetupSuiteSettings, SSOSetupSuiteSettingsDisabledFeatures
from descope_emulator import DescopeError, EmulatorServer, Quota

from tests.support.clock import FakeClock


@pytest.fixture
def client(emulator: EmulatorServer) -> Iterator[DescopeClient]:
    yield DescopeClient(
        project_id=emulator.project_id, management_key=emulator.management_key, base_url=emulator.url
    )


def error_code(exc: AuthException) -> str:
    match = re.search(r'"errorCode":\s*"(E\d+)"', str(exc.error_message))
    assert match, exc.error_message
    return match.group(1)


def test_license_handshake_and_headers(emulator: EmulatorServer, client: DescopeClient) -> None:
    assert client.mgmt.license.get() == {"rateLimitTier": "tier1"}
    client.mgmt.tenant.load_all()
    last = emulator.requests()[-1]
    headers = {name.lower(): value for name, value in last["headers"].items()}
    assert headers["x-descope-license"] == "tier1"
    assert headers["x-descope-project-id"] == emulator.project_id
    assert headers["x-descope-sdk-name"] == "python"
    assert "authorization" not in headers
    assert emulator.stats()["requests"]["GET /v1/mgmt/license"] == {"200": 2}


def test_create_with_and_without_id(client: DescopeClient, emulator: EmulatorServer) -> None:
    generated = client.mgmt.tenant.create("Generated")["id"]
    assert re.fullmatch(r"T[A-Za-z0-9]{27}", generated)
    assert client.mgmt.tenant.create("Chosen", id="chosen-id") == {"id": "chosen-id"}
    assert emulator.state.tenant_ids() == [generated, "chosen-id"]


def test_load_and_load_all(client: DescopeClient) -> None:
    tenant_id = client.mgmt.tenant.create(
        "Acme",
        self_provisioning_domains=["acme.com"],
        custom_attributes={"tier": "gold"},
        enforce_sso=True,
        enforce_sso_exclusions=["U1"],
        federated_app_ids=["app"],
        disabled=True,
    )["id"]
    loaded = client.mgmt.tenant.load(tenant_id)
    assert loaded["id"] == tenant_id
    assert loaded["name"] == "Acme"
    assert loaded["selfProvisioningDomains"] == ["acme.com"]
    assert loaded["customAttributes"] == {"tier": "gold"}
    assert (loaded["enforceSSO"], loaded["disabled"]) == (True, True)
    assert loaded["enforceSSOExclusions"] == ["U1"]
    assert loaded["federatedAppIds"] == ["app"]
    assert isinstance(loaded["createdTime"], int)
    assert (loaded["authType"], loaded["domains"], loaded["successors"]) == ("none", [], [])
    assert client.mgmt.tenant.load_all() == {"tenants": [loaded]}


def test_search_all(client: DescopeClient) -> None:
    tenant = client.mgmt.tenant
    a = tenant.create("Alpha", self_provisioning_domains=["alpha.io"])["id"]
    b = tenant.create("Beta", custom_attributes={"tier": "gold"})["id"]
    c = tenant.create("Gamma", custom_attributes={"tier": "silver"})["id"]

    def ids(**filters: object) -> list[str]:
        return [t["id"] for t in tenant.search_all(**filters)["tenants"]]

    assert ids() == [a, b, c]
    assert ids(ids=[a, c]) == [a, c]
    assert ids(names=["Beta"]) == [b]
    assert ids(self_provisioning_domains=["alpha.io"]) == [a]
    assert ids(custom_attributes={"tier": "silver"}) == [c]
    assert ids(ids=[a], names=["Beta"]) == []


def test_update_clears_omitted_fields(client: DescopeClient) -> None:
    tenant_id = client.mgmt.tenant.create(
        "Acme", self_provisioning_domains=["acme.com"], custom_attributes={"k": "v"}, enforce_sso=True
    )["id"]
    client.mgmt.tenant.update(tenant_id, "Acme Renamed")
    loaded = client.mgmt.tenant.load(tenant_id)
    assert loaded["name"] == "Acme Renamed"
    assert loaded["selfProvisioningDomains"] == []
    assert loaded["customAttributes"] == {}
    assert loaded["enforceSSO"] is False


def test_patch_keeps_other_fields(client: DescopeClient) -> None:
    tenant_id = client.mgmt.tenant.create("Acme", self_provisioning_domains=["acme.com"])["id"]
    client.mgmt.tenant.patch_tenant(tenant_id, role_inheritance="userOnly", disabled=True)
    loaded = client.mgmt.tenant.load(tenant_id)
    assert (loaded["roleInheritance"], loaded["disabled"]) == ("userOnly", True)
    assert loaded["selfProvisioningDomains"] == ["acme.com"]


def test_delete_and_cascade(client: DescopeClient, emulator: EmulatorServer) -> None:
    parent = client.mgmt.tenant.create("Parent")["id"]
    # The SDK's create has no parent argument; the API has.
    child = requests.post(
        emulator.url + "/v1/mgmt/tenant/create",
        json={"name": "Child", "parent": parent},
        headers=emulator.headers,
        timeout=5,
    ).json()["id"]
    assert client.mgmt.tenant.load(parent)["successors"] == [child]
    with pytest.raises(AuthException) as excinfo:
        client.mgmt.tenant.delete(parent)
    assert excinfo.value.status_code == 400
    client.mgmt.tenant.delete(parent, cascade=True)
    assert client.mgmt.tenant.load_all() == {"tenants": []}

    lone = client.mgmt.tenant.create("Lone")["id"]
    client.mgmt.tenant.delete(lone)
    assert emulator.state.tenant_count() == 0


def test_not_found(client: DescopeClient) -> None:
    with pytest.raises(AuthException) as excinfo:
        client.mgmt.tenant.load("missing")
    assert excinfo.value.status_code == 404
    assert error_code(excinfo.value) == "E112202"
    with pytest.raises(AuthException) as excinfo:
        client.mgmt.tenant.update("missing", "Name")
    assert (excinfo.value.status_code, error_code(excinfo.value)) == (400, "E112202")
    with pytest.raises(AuthException) as excinfo:
        client.mgmt.tenant.delete("missing")
    assert (excinfo.value.status_code, error_code(excinfo.value)) == (400, "E112202")


def test_duplicate_name_domain_and_id_fail(client: DescopeClient, emulator: EmulatorServer) -> None:
    client.mgmt.tenant.create("Acme", id="acme", self_provisioning_domains=["acme.com"])
    for kwargs in (
        {"name": "ACME"},
        {"name": "Other", "self_provisioning_domains": ["acme.com"]},
        {"name": "Other", "id": "acme"},
    ):
        with pytest.raises(AuthException) as excinfo:
            client.mgmt.tenant.create(**kwargs)
        assert excinfo.value.status_code == 400
        assert error_code(excinfo.value) == "E011004"
        assert "already exists" in str(excinfo.value.error_message)
    assert emulator.state.tenant_count() == 1


def test_wrong_key_is_401(emulator: EmulatorServer) -> None:
    wrong = DescopeClient(project_id=emulator.project_id, management_key="not-the-key", base_url=emulator.url)
    with pytest.raises(AuthException) as excinfo:
        wrong.mgmt.tenant.load_all()
    assert excinfo.value.status_code == 401
    assert error_code(excinfo.value) == "E011005"


def test_429_is_a_rate_limit_exception_with_retry_after() -> None:
    clock = FakeClock()
    with EmulatorServer(quota=Quota(3, 60), clock=clock) as emulator:
        client = DescopeClient(
            project_id=emulator.project_id, management_key=emulator.management_key, base_url=emulator.url
        )  # the license handshake is request 1
        client.mgmt.tenant.create("A")
        clock.advance(15)
        client.mgmt.tenant.load_all()
        with pytest.raises(RateLimitException) as excinfo:
            client.mgmt.tenant.create("B")
        error = excinfo.value
        assert str(error.status_code) == "E130429"  # the SDK puts errorCode here (typed int)
        # Full since t=15; the two requests of t=0 leave the window at t=60.
        assert error.rate_limit_parameters == {"Retry-After": 45}
        assert error.error_description == "Rate limit exceeded"
        clock.advance(30)
        with pytest.raises(RateLimitException) as excinfo:
            client.mgmt.tenant.load_all()
        assert excinfo.value.rate_limit_parameters == {"Retry-After": 15}
        clock.advance(15)
        assert client.mgmt.tenant.create("B")["id"]


def test_settings_round_trip(client: DescopeClient) -> None:
    tenant_id = client.mgmt.tenant.create("Acme", self_provisioning_domains=["acme.com"])["id"]
    client.mgmt.tenant.update_settings(
        tenant_id,
        self_provisioning_domains=["acme.org"],
        domains=["sso.acme.org"],
        auth_type="oidc",
        session_settings_enabled=True,
        refresh_token_expiration=2,
        refresh_token_expiration_unit="days",
        enable_inactivity=True,
        inactivity_time=30,
        inactivity_time_unit="minutes",
        JITDisabled=True,
    )
    settings = client.mgmt.tenant.load_settings(tenant_id)
    assert settings["selfProvisioningDomains"] == ["acme.org"]
    assert settings["domains"] == ["sso.acme.org"]
    assert settings["authType"] == "oidc"
    assert settings["enabled"] is True
    assert (settings["refreshTokenExpiration"], settings["refreshTokenExpirationUnit"]) == (2, "days")
    assert (settings["enableInactivity"], settings["inactivityTime"], settings["inactivityTimeUnit"]) == (
        True,
        30,
        "minutes",
    )
    assert settings["JITDisabled"] is True
    assert client.mgmt.tenant.load(tenant_id)["selfProvisioningDomains"] == ["acme.org"]


def test_permissions_roles_and_default_roles(client: DescopeClient) -> None:
    mgmt = client.mgmt
    mgmt.permission.create("read", "Read things")
    mgmt.permission.create("write")
    mgmt.permission.update("write", "edit", "Edit things")
    custom = [p for p in mgmt.permission.load_all()["permissions"] if not p["systemDefault"]]
    assert [(p["name"], p["description"]) for p in custom] == [
        ("read", "Read things"),
        ("edit", "Edit things"),
    ]
    tenant_id = mgmt.tenant.create("Acme")["id"]
    mgmt.role.create("viewer", "Views", ["read"])
    mgmt.role.create("editor", permission_names=["read", "edit"], tenant_id=tenant_id)
    with pytest.raises(AuthException) as excinfo:
        mgmt.role.create("viewer")
    assert "already exists" in str(excinfo.value.error_message)
    mgmt.role.create("viewer", tenant_id=tenant_id)  # same name, other scope

    mgmt.tenant.update_default_roles(tenant_id, ["viewer", "editor"])
    assert mgmt.tenant.load(tenant_id)["defaultRoles"] == ["viewer", "editor"]

    mgmt.role.update("editor", "writer", permission_names=["edit"], tenant_id=tenant_id)
    found = mgmt.role.search(tenant_ids=[tenant_id])["roles"]
    assert [(r["name"], r["permissionNames"]) for r in found] == [("writer", ["edit"]), ("viewer", [])]
    assert [r["name"] for r in mgmt.role.search(role_names=["viewer"])["roles"]] == ["viewer", "viewer"]
    assert mgmt.tenant.load(tenant_id)["defaultRoles"] == ["viewer", "writer"]

    mgmt.permission.delete("edit")
    mgmt.role.delete("writer", tenant_id=tenant_id)
    mgmt.role.delete_by_id(mgmt.role.search(role_names=["viewer"], tenant_ids=[tenant_id])["roles"][0]["id"])
    assert [(r["name"], r["tenantId"]) for r in mgmt.role.load_all()["roles"]] == [
        ("Tenant Admin", ""),
        ("viewer", ""),
    ]


def test_sdk_retries_a_503_transparently(client: DescopeClient, emulator: EmulatorServer) -> None:
    emulator.queue_fault("error", path="/v1/mgmt/tenant/create", status=503)
    assert client.mgmt.tenant.create("Acme")["id"]
    assert emulator.stats()["requests"]["POST /v1/mgmt/tenant/create"] == {"503": 1, "200": 1}


def test_lost_response_surfaces_as_a_transport_error_but_commits(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    emulator.queue_fault("lost_response", path="/v1/mgmt/tenant/create")
    with pytest.raises(httpx.TransportError):
        client.mgmt.tenant.create("Ghost")
    assert [t["name"] for t in client.mgmt.tenant.search_all(names=["Ghost"])["tenants"]] == ["Ghost"]


def test_settings_sso_setup_suite_and_tenant_fields(client: DescopeClient, emulator: EmulatorServer) -> None:
    tenant_id = client.mgmt.tenant.create("Acme", enforce_sso=True)["id"]
    suite = SSOSetupSuiteSettings(
        enabled=True,
        style_id="dark",
        disabled_features=SSOSetupSuiteSettingsDisabledFeatures(saml=True, group_mapping=True),
    )
    client.mgmt.tenant.update_settings(
        tenant_id,
        self_provisioning_domains=[],
        session_token_expiration=1,
        session_token_expiration_unit="weeks",
        stepup_token_expiration=3,
        stepup_token_expiration_unit="hours",
        sso_setup_suite_settings=suite,
        enforce_sso_exclusions=["U1"],
        federated_app_ids=["app"],
    )
    body = emulator.requests()[-1]["body"]
    assert body["ssoSetupSuiteSettings"] == {
        "enabled": True,
        "styleId": "dark",
        "disabledFeatures": {
            "saml": True,
            "oidc": False,
            "scim": False,
            "ssoDomains": False,
            "groupMapping": True,
        },
    }
    assert "authType" not in body  # the Python SDK leaves out what it was not given
    settings = client.mgmt.tenant.load_settings(tenant_id)
    assert settings["ssoSetupSuiteSettings"] == body["ssoSetupSuiteSettings"]
    assert (settings["sessionTokenExpiration"], settings["sessionTokenExpirationUnit"]) == (1, "weeks")
    assert (settings["stepupTokenExpiration"], settings["stepupTokenExpirationUnit"]) == (3, "hours")
    assert (settings["enforceSSO"], settings["enforceSSOExclusions"]) == (True, ["U1"])
    assert settings["federatedAppIds"] == ["app"]
    with pytest.raises(AuthException) as excinfo:
        client.mgmt.tenant.update_settings(tenant_id, [], inactivity_time_unit="years")  # type: ignore[arg-type]
    assert (excinfo.value.status_code, error_code(excinfo.value)) == (400, "E011004")


def test_builtin_roles_and_system_permissions(client: DescopeClient) -> None:
    mgmt = client.mgmt
    permissions = mgmt.permission.load_all()["permissions"]
    assert [(p["name"], p["systemDefault"]) for p in permissions] == [
        ("Impersonate", True),
        ("User Admin", True),
        ("SSO Admin", True),
    ]
    assert all(re.fullmatch(r"PERM[A-Za-z0-9]{25}", p["id"]) for p in permissions)
    (tenant_admin,) = mgmt.role.load_all()["roles"]
    assert (tenant_admin["name"], tenant_admin["tenantId"]) == ("Tenant Admin", "")
    assert tenant_admin["permissionNames"] == ["User Admin", "SSO Admin"]
    for forbidden in (
        lambda: mgmt.permission.create("Impersonate"),
        lambda: mgmt.permission.delete("SSO Admin"),
        lambda: mgmt.permission.update("User Admin", "Users"),
        lambda: mgmt.role.delete("Tenant Admin"),
        lambda: mgmt.role.update("Tenant Admin", "Boss"),
    ):
        with pytest.raises(AuthException) as excinfo:
            forbidden()
        assert (excinfo.value.status_code, error_code(excinfo.value)) == (400, "E011004")
    # Descope refuses any update of a built-in role, even one restating its fields as they are
    # (terraform-provider-descope #377), with its "version conflict" error.
    for update in (
        lambda: mgmt.role.update(
            "Tenant Admin", "Tenant Admin", "Runs a tenant", ["User Admin", "Impersonate"]
        ),
        lambda: mgmt.role.update(
            "Tenant Admin", "Tenant Admin", "Administrates a tenant", ["User Admin", "SSO Admin"]
        ),
    ):
        with pytest.raises(AuthException) as excinfo:
            update()
        assert (excinfo.value.status_code, error_code(excinfo.value)) == (400, "E024214")
        assert "version conflict" in str(excinfo.value)
    (after,) = mgmt.role.search(role_names=["Tenant Admin"])["roles"]
    assert after == tenant_admin


def test_roles_by_id_rename_in_place_and_tenant_scope(client: DescopeClient) -> None:
    mgmt = client.mgmt
    tenant_id = mgmt.tenant.create("Acme")["id"]
    mgmt.permission.create("read")
    mgmt.role.create("viewer", "Views", ["read"], default=True, private=True)
    mgmt.role.create("viewer", tenant_id=tenant_id)
    project_viewer, tenant_viewer = mgmt.role.search(role_names=["viewer"])["roles"]
    assert re.fullmatch(r"ROL[A-Za-z0-9]{26}", project_viewer["id"])
    assert (project_viewer["default"], project_viewer["private"]) == (True, True)
    assert isinstance(project_viewer["createdTime"], int)

    mgmt.role.update_by_id(tenant_viewer["id"], "reader", "Reads", ["read"], tenant_id=tenant_id)
    renamed = mgmt.role.search(role_ids=[tenant_viewer["id"]])["roles"]
    assert [(r["id"], r["name"], r["tenantId"], r["description"]) for r in renamed] == [
        (tenant_viewer["id"], "reader", tenant_id, "Reads")
    ]
    # Full replace: default and private fall back to false when not sent.
    mgmt.role.update("viewer", "viewer", permission_names=["read"])
    assert mgmt.role.search(role_names=["viewer"])["roles"][0]["private"] is False

    with pytest.raises(AuthException) as excinfo:
        mgmt.role.update_by_id("ROLghost", "x")
    assert (excinfo.value.status_code, error_code(excinfo.value)) == (400, "E112302")
    with pytest.raises(AuthException) as excinfo:
        mgmt.role.delete("reader")  # the project has no "reader": it is a role of the tenant
    assert error_code(excinfo.value) == "E112302"
    mgmt.role.delete_by_id(tenant_viewer["id"])
    assert mgmt.role.search(tenant_ids=[tenant_id])["roles"] == []


def test_role_search_filters(client: DescopeClient) -> None:
    mgmt = client.mgmt
    t1 = mgmt.tenant.create("One")["id"]
    t2 = mgmt.tenant.create("Two")["id"]
    mgmt.permission.create("read")
    mgmt.permission.create("write")
    mgmt.role.create("Reader", permission_names=["read"])
    mgmt.role.create("Writer", permission_names=["write"], tenant_id=t1)
    mgmt.role.create("Owner", permission_names=["read", "write"], tenant_id=t2)

    def names(**filters: object) -> list[str]:
        return [r["name"] for r in mgmt.role.search(**filters)["roles"]]  # type: ignore[arg-type]

    assert names() == ["Tenant Admin", "Reader", "Writer", "Owner"]
    assert names(tenant_ids=[t1, t2]) == ["Writer", "Owner"]
    assert names(tenant_ids=[t1], include_project_roles=True) == ["Tenant Admin", "Reader", "Writer"]
    assert names(role_name_like="ER") == ["Reader", "Writer", "Owner"]
    assert names(permission_names=["write"]) == ["Writer", "Owner"]
    assert names(role_names=["Owner", "Reader"]) == ["Reader", "Owner"]
    assert names(role_names=["Owner"], tenant_ids=[t1]) == []
    assert names(permission_names=["read"], role_name_like="own") == ["Owner"]


def test_role_and_permission_batches(client: DescopeClient, emulator: EmulatorServer) -> None:
    mgmt = client.mgmt
    tenant_id = mgmt.tenant.create("Acme")["id"]
    mgmt.permission.create_batch([{"name": "read", "description": "Read"}, {"name": "write"}])
    ids = {p["name"]: p["id"] for p in mgmt.permission.load_all()["permissions"]}
    mgmt.permission.update_batch(
        [{"id": ids["read"], "newName": "view"}, {"name": "write", "newName": "edit", "description": "E"}]
    )
    mgmt.role.create_batch(
        [
            {"name": "viewer", "permissionNames": ["view"]},
            {"name": "editor", "permissionNames": ["view", "edit"], "tenantId": tenant_id},
        ]
    )
    roles = {r["name"]: r for r in mgmt.role.load_all()["roles"]}
    mgmt.role.update_batch(
        [
            {"id": roles["viewer"]["id"], "newName": "reader", "permissionNames": ["view"]},
            {"name": "editor", "tenantId": tenant_id, "newName": "writer", "permissionNames": ["edit"]},
        ]
    )
    assert [(r["name"], r["tenantId"], r["permissionNames"]) for r in mgmt.role.load_all()["roles"]][1:] == [
        ("reader", "", ["view"]),
        ("writer", tenant_id, ["edit"]),
    ]
    with pytest.raises(AuthException) as excinfo:  # one bad entry: nothing of the batch happens
        mgmt.role.update_batch([{"name": "reader", "newName": "r2"}, {"name": "ghost", "newName": "g"}])
    assert error_code(excinfo.value) == "E112302"
    assert mgmt.role.search(role_names=["reader"])["roles"]

    mgmt.permission.delete_batch(["edit"])  # cascades into the roles
    assert mgmt.role.search(tenant_ids=[tenant_id])["roles"][0]["permissionNames"] == []
    mgmt.permission.delete_batch_by_ids([ids["read"]])
    assert [p["name"] for p in mgmt.permission.load_all()["permissions"]] == [
        "Impersonate",
        "User Admin",
        "SSO Admin",
    ]

    mgmt.role.delete_batch(["writer"], tenant_id=tenant_id)
    mgmt.role.delete_batch_by_ids([roles["viewer"]["id"]])
    assert [r["name"] for r in mgmt.role.load_all()["roles"]] == ["Tenant Admin"]
    batch_bodies = [r["body"] for r in emulator.requests() if r["path"] == "/v1/mgmt/role/delete/batch"]
    assert batch_bodies == [
        {"roleNames": ["writer"], "tenantId": tenant_id},
        {"roleIds": [roles["viewer"]["id"]], "tenantId": None},
    ]
    with pytest.raises(ValueError):  # the SDK itself refuses the filterless batch delete
        mgmt.role.delete_batch([])


def test_console_edits_of_roles_and_permissions(client: DescopeClient, emulator: EmulatorServer) -> None:
    mgmt = client.mgmt
    mgmt.permission.create("read")
    mgmt.permission.create("write")
    mgmt.role.create("viewer", permission_names=["read"])
    role_id = mgmt.role.load_all()["roles"][1]["id"]
    edited = emulator.state.edit_role("viewer", permissionNames=["read", "write"], description="console")
    assert (edited["id"], edited["permissionNames"], edited["description"]) == (
        role_id,
        ["read", "write"],
        "console",
    )
    emulator.state.edit_role(role_id, name="reader")
    emulator.state.edit_permission("write", name="modify", description="changed")
    (role,) = mgmt.role.search(role_ids=[role_id])["roles"]
    assert (role["name"], role["permissionNames"]) == ("reader", ["read", "modify"])
    emulator.state.remove_permission("read")
    emulator.state.remove_role("reader")
    assert [r["name"] for r in mgmt.role.load_all()["roles"]] == ["Tenant Admin"]
    assert [p["name"] for p in mgmt.permission.load_all()["permissions"]][3:] == ["modify"]
    with pytest.raises(DescopeError) as excinfo:
        emulator.state.remove_role("reader")
    assert excinfo.value.code == "E112302"
