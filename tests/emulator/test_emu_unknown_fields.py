"""Keys the emulator does not model (a field Descope adds later, here ``brandNew``) are kept and answered
back by roles, permissions, SSO configurations and access keys, so a test can see whether a full-replace
write from a client wiped a field the client does not know about."""

from __future__ import annotations

from typing import Any

import pytest
from descope_emulator import EmulatorServer, Store
from emu_support import api

NEW = {"brandNew": "x", "brandNewObject": {"nested": [1, 2]}}


@pytest.fixture
def store() -> Store:
    return Store(seed=1, wall_clock=lambda: 1_700_000_000.5)


def role(store: Store, name: str, tenant_id: str = "") -> dict[str, Any]:
    found = store.get_role(name, tenant_id)
    assert found is not None
    return found


# ----- roles (update is a full replace) ---------------------------------------------------------------


def test_role_keeps_unknown_keys_on_every_load(store: Store) -> None:
    store.create_tenant({"id": "t1", "name": "Acme"})
    store.create_role({"name": "viewer", "tenantId": "t1", **NEW})
    assert role(store, "viewer", "t1") | NEW == role(store, "viewer", "t1")
    assert next(r for r in store.all_roles()["roles"] if r["name"] == "viewer")["brandNew"] == "x"
    assert store.search_roles({"roleNames": ["viewer"]})["roles"][0]["brandNewObject"] == {"nested": [1, 2]}


def test_role_full_replace_without_the_unknown_key_wipes_it(store: Store) -> None:
    store.create_role({"name": "viewer", "description": "d", **NEW})
    known_only = {k: v for k, v in role(store, "viewer").items() if k not in NEW}
    store.update_role({**known_only, "newName": "viewer"})
    assert "brandNew" not in role(store, "viewer")
    store.update_role({**known_only, "newName": "viewer", "brandNew": "y"})
    assert role(store, "viewer")["brandNew"] == "y"


def test_role_read_modify_write_with_the_whole_answer_keeps_it(store: Store) -> None:
    store.create_role({"name": "viewer", **NEW})
    store.update_role({**role(store, "viewer"), "newName": "reader", "description": "changed"})
    assert role(store, "reader") | NEW == role(store, "reader")


def test_role_console_edit_and_batches_keep_it(store: Store) -> None:
    store.create_role({"name": "viewer", **NEW})
    assert store.edit_role("viewer", description="changed")["brandNew"] == "x"
    created = store.create_roles_batch({"roles": [{"name": "a", "brandNew": 1}, {"name": "b"}]})["roles"]
    assert [r.get("brandNew") for r in created] == [1, None]
    updated = store.update_roles_batch({"roles": [{"name": "a", "newName": "a"}]})["roles"]
    assert "brandNew" not in updated[0]


def test_null_unknown_keys_are_not_kept(store: Store) -> None:
    store.create_role({"name": "viewer", "brandNew": None})
    store.create_permission({"name": "read", "brandNew": None})
    assert "brandNew" not in role(store, "viewer")
    assert "brandNew" not in store.all_permissions()["permissions"][-1]


def test_dump_and_load_keep_unknown_keys() -> None:
    source = Store(seed=1)
    source.create_tenant({"id": "t1", "name": "Acme"})
    source.create_permission({"name": "read", **NEW})
    source.create_role({"name": "viewer", "permissionNames": ["read"], **NEW})
    source.access_keys.create({"name": "ci", **NEW})
    copy = Store(seed=2)
    copy.load(source.dump())
    assert copy.get_role("viewer") is not None and copy.get_role("viewer") == source.get_role("viewer")
    assert copy.all_permissions() == source.all_permissions()
    assert copy.dump()["accessKeys"] == source.dump()["accessKeys"]


def test_known_keys_and_the_built_in_role_answer_as_before(store: Store) -> None:
    store.create_role({"name": "viewer"})
    assert set(role(store, "viewer")) == {
        "id",
        "name",
        "description",
        "permissionNames",
        "tenantId",
        "default",
        "private",
        "createdTime",
    }
    assert set(store.all_permissions()["permissions"][0]) == {"id", "name", "description", "systemDefault"}


# ----- permissions (update is a full replace) ---------------------------------------------------------


def test_permission_keeps_unknown_keys_until_a_full_replace_leaves_them_out(store: Store) -> None:
    store.create_permission({"name": "read", "description": "d", **NEW})
    [read] = [p for p in store.all_permissions()["permissions"] if p["name"] == "read"]
    assert read | NEW == read
    store.update_permission({"name": "read", "newName": "read", "description": "d", "brandNew": "y"})
    [read] = [p for p in store.all_permissions()["permissions"] if p["name"] == "read"]
    assert read["brandNew"] == "y" and "brandNewObject" not in read
    assert store.edit_permission("read", description="console")["brandNew"] == "y"
    store.update_permission({"id": read["id"], "newName": "view", "description": "d"})
    [view] = [p for p in store.all_permissions()["permissions"] if p["name"] == "view"]
    assert "brandNew" not in view


# ----- access keys (update is patch-like) ------------------------------------------------------------


def test_access_key_keeps_unknown_keys_and_a_patch_keeps_the_unsent_ones(store: Store) -> None:
    keys = store.access_keys
    created = keys.create({"name": "ci", **NEW})["key"]
    assert created | NEW == created
    key_id = created["id"]
    assert keys.load_key(key_id)["key"]["brandNew"] == "x"
    assert keys.search({})["keys"][0]["brandNewObject"] == {"nested": [1, 2]}
    updated = keys.update({"id": key_id, "name": "ci2", "brandNew": "y"})["key"]
    assert updated["brandNew"] == "y" and updated["brandNewObject"] == {"nested": [1, 2]}
    assert keys.update({"id": key_id, "name": "ci3"})["key"]["brandNew"] == "y"
    assert keys.rotate({"id": key_id})["key"]["brandNew"] == "y"


# ----- SSO configurations (each configure replaces that protocol's settings) --------------------------

OIDC = {"name": "Okta", "clientId": "client", "clientSecret": "secret", "authUrl": "https://idp/auth"}
SAML = {"idpUrl": "https://idp/sso", "entityId": "idp-entity", "idpCert": "CERT"}


def test_oidc_settings_keep_unknown_keys_until_a_configure_leaves_them_out(store: Store) -> None:
    store.create_tenant({"id": "t1", "name": "Acme"})
    store.sso.configure_oidc({"tenantId": "t1", "settings": {**OIDC, **NEW}})
    loaded = store.sso.load("t1", "")["oidc"]
    assert loaded | NEW == loaded
    assert store.sso.load_all("t1")["SSOSettings"][0]["oidc"]["brandNew"] == "x"
    assert "brandNew" not in store.sso.load("t1", "")["saml"]
    store.sso.configure_oidc({"tenantId": "t1", "settings": OIDC})
    assert "brandNew" not in store.sso.load("t1", "")["oidc"]


def test_saml_settings_keep_unknown_keys_and_feeding_back_the_answer_adds_none(store: Store) -> None:
    store.create_tenant({"id": "t1", "name": "Acme"})
    store.sso.configure_saml({"tenantId": "t1", "settings": {**SAML, **NEW}})
    loaded = store.sso.load("t1", "")["saml"]
    assert loaded | NEW == loaded
    # A client sending the loaded answer back as settings (answer names included) adds no extra keys.
    store.sso.configure_saml({"tenantId": "t1", "settings": {**loaded, **SAML}})
    assert store.sso.load("t1", "")["saml"] == loaded
    store.sso.configure_saml({"tenantId": "t1", "settings": SAML})
    assert not set(NEW) & set(store.sso.load("t1", "")["saml"])


def test_sso_dump_and_seed_keep_unknown_settings_keys() -> None:
    source = Store(seed=1, project_id="P1")
    source.create_tenant({"id": "t1", "name": "Acme"})
    source.sso.configure_oidc({"tenantId": "t1", "settings": {**OIDC, **NEW}})
    copy = Store(seed=1, project_id="P1")
    copy.load(source.dump())
    assert copy.sso.load("t1", "") == source.sso.load("t1", "")


# ----- on the wire ------------------------------------------------------------------------------------


def test_unknown_keys_on_the_wire() -> None:
    with EmulatorServer() as emulator:
        assert api(emulator, "POST", "/v1/mgmt/role/create", {"name": "viewer", "brandNew": "x"}).ok
        roles = api(emulator, "GET", "/v1/mgmt/role/all").json()["roles"]
        assert [r["brandNew"] for r in roles if r["name"] == "viewer"] == ["x"]
        assert api(emulator, "POST", "/v1/mgmt/permission/create", {"name": "read", "brandNew": 2}).ok
        permissions = api(emulator, "GET", "/v1/mgmt/permission/all").json()["permissions"]
        assert [p["brandNew"] for p in permissions if p["name"] == "read"] == [2]
        key = api(emulator, "POST", "/v1/mgmt/accesskey/create", {"name": "ci", "brandNew": True}).json()
        loaded = api(emulator, "GET", f"/v1/mgmt/accesskey?id={key['key']['id']}").json()["key"]
        assert key["key"]["brandNew"] is loaded["brandNew"] is True
