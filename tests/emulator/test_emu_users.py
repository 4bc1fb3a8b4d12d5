"""The user routes against the official ``descope`` Python SDK (the referee for paths, bodies and answer
shapes)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from descope import DescopeClient
from descope.exceptions import AuthException
from descope.management.common import AssociatedTenant
from descope_emulator import EmulatorServer


@pytest.fixture
def client(emulator: EmulatorServer) -> Iterator[DescopeClient]:
    yield DescopeClient(
        project_id=emulator.project_id, management_key=emulator.management_key, base_url=emulator.url
    )


@pytest.fixture
def acme(emulator: EmulatorServer) -> str:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.state.create_role({"name": "Support", "tenantId": "acme"})
    return "acme"


def error_code(exc: AuthException) -> str:
    match = re.search(r'"errorCode":\s*"(E\d+)"', str(exc.error_message))
    assert match, exc.error_message
    return match.group(1)


def test_create_load_patch_update_delete(client: DescopeClient, emulator: EmulatorServer, acme: str) -> None:
    users = client.mgmt.user
    created = users.create(
        "admin@acme.example",
        email="admin@acme.example",
        display_name="Acme Admin",
        given_name="Ada",
        user_tenants=[AssociatedTenant(acme, ["Tenant Admin"])],
        custom_attributes={"team": "ops"},
    )["user"]
    assert re.fullmatch(r"U[A-Za-z0-9]{27}", created["userId"])
    assert created["loginIds"] == ["admin@acme.example"] and created["name"] == "Acme Admin"
    assert created["userTenants"] == [{"tenantId": acme, "roleNames": ["Tenant Admin"], "tenantName": "Acme"}]
    assert created["test"] is False and created["status"] == "enabled"

    with pytest.raises(AuthException) as info:
        users.create("admin@acme.example")
    assert "already exists" in str(info.value.error_message)

    loaded = users.load("admin@acme.example")["user"]
    assert loaded == created
    assert users.load_by_user_id(created["userId"])["user"]["loginIds"] == ["admin@acme.example"]

    # A patch changes only what it carries.
    patched = users.patch("admin@acme.example", phone="+15555550100")["user"]
    assert patched["phone"] == "+15555550100" and patched["givenName"] == "Ada"
    assert patched["customAttributes"] == {"team": "ops"}

    # An update replaces what it models.
    updated = users.update("admin@acme.example", email="new@acme.example")["user"]
    assert (
        updated["email"] == "new@acme.example" and updated["givenName"] == "" and updated["userTenants"] == []
    )
    assert updated["userId"] == created["userId"]

    users.delete("admin@acme.example")
    with pytest.raises(AuthException) as info:
        users.load("admin@acme.example")
    assert error_code(info.value) == "E112102"
    users.delete("admin@acme.example")  # an unknown user is no error


def test_test_users_invite_and_search(client: DescopeClient, acme: str) -> None:
    users = client.mgmt.user
    test_user = users.create_test_user("smoke@acme.example", user_tenants=[AssociatedTenant(acme)])["user"]
    assert test_user["test"] is True
    invited = users.invite("new@acme.example", email="new@acme.example")["user"]
    assert invited["status"] == "invited"
    users.create("other@acme.example")

    def logins(found: dict) -> list[str]:
        return sorted(u["loginIds"][0] for u in found["users"])

    assert logins(users.search_all()) == ["new@acme.example", "other@acme.example"]
    assert logins(users.search_all(with_test_user=True, tenant_ids=[acme])) == ["smoke@acme.example"]
    assert logins(users.search_all(login_ids=["new@acme.example"])) == ["new@acme.example"]
    assert logins(users.search_all_test_users()) == ["smoke@acme.example"]
    assert logins(users.search_all(limit=1, page=1)) == ["other@acme.example"]


def test_tenants_and_tenant_roles(client: DescopeClient, acme: str) -> None:
    users = client.mgmt.user
    users.create("support@vendor.example")
    assert users.add_tenant("support@vendor.example", acme)["user"]["userTenants"][0]["roleNames"] == []
    after = users.add_tenant_roles("support@vendor.example", acme, ["Support", "Tenant Admin"])["user"]
    assert after["userTenants"][0]["roleNames"] == ["Support", "Tenant Admin"]
    after = users.remove_tenant_roles("support@vendor.example", acme, ["Tenant Admin"])["user"]
    assert after["userTenants"][0]["roleNames"] == ["Support"]
    with pytest.raises(AuthException) as info:
        users.add_tenant_roles("support@vendor.example", acme, ["No Such Role"])
    assert error_code(info.value) == "E011004"
    with pytest.raises(AuthException) as info:
        users.add_tenant("support@vendor.example", "nowhere")
    assert error_code(info.value) == "E112202"
    assert users.remove_tenant("support@vendor.example", acme)["user"]["userTenants"] == []
    with pytest.raises(AuthException) as info:
        users.add_tenant("ghost@vendor.example", acme)
    assert error_code(info.value) == "E112102"


def test_removed_role_and_tenant_leave_their_users(
    client: DescopeClient, emulator: EmulatorServer, acme: str
) -> None:
    users = client.mgmt.user
    users.create("a@acme.example", user_tenants=[AssociatedTenant(acme, ["Support"])])
    client.mgmt.role.delete("Support", tenant_id=acme)
    assert users.load("a@acme.example")["user"]["userTenants"][0]["roleNames"] == []
    client.mgmt.tenant.delete(acme)
    assert users.load("a@acme.example")["user"]["userTenants"] == []
    # A dump loads back into a new project.
    dump = emulator.state.dump()
    assert [u["loginId"] for u in dump["users"]] == ["a@acme.example"]
