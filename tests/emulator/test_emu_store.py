"""The in-memory store on its own: validation, uniqueness, full replace, hierarchy, roles, seeding."""

from __future__ import annotations

import re
from typing import Any

import pytest
from descope_emulator import DescopeError, Store


def code_of(excinfo: pytest.ExceptionInfo[DescopeError]) -> tuple[int, str]:
    return excinfo.value.status, excinfo.value.code


@pytest.fixture
def store() -> Store:
    return Store(seed=1, wall_clock=lambda: 1_700_000_000.5)


def test_create_generates_descope_like_id_for_null_empty_and_missing(store: Store) -> None:
    ids = [
        store.create_tenant({"name": "A", "id": None})["id"],
        store.create_tenant({"name": "B", "id": ""})["id"],
        store.create_tenant({"name": "C"})["id"],
    ]
    assert all(re.fullmatch(r"T[A-Za-z0-9]{27}", tenant_id) for tenant_id in ids)
    assert len(set(ids)) == 3


def test_generated_ids_are_reproducible_from_the_seed() -> None:
    first, second = Store(seed=7), Store(seed=7)
    assert first.create_tenant({"name": "A"}) == second.create_tenant({"name": "A"})


def test_loaded_tenant_has_every_field(store: Store) -> None:
    store.create_tenant(
        {
            "id": "t1",
            "name": "Acme",
            "selfProvisioningDomains": ["acme.com"],
            "customAttributes": {"tier": "gold", "seats": 5, "beta": True, "tags": ["a", 1]},
            "enforceSSO": True,
            "enforceSSOExclusions": ["U1"],
            "disabled": True,
            "federatedAppIds": ["app1"],
            "roleInheritance": "userOnly",
        }
    )
    assert store.load_tenant("t1") == {
        "id": "t1",
        "name": "Acme",
        "selfProvisioningDomains": ["acme.com"],
        "customAttributes": {"tier": "gold", "seats": 5, "beta": True, "tags": ["a", 1]},
        "enforceSSO": True,
        "enforceSSOExclusions": ["U1"],
        "disabled": True,
        "federatedAppIds": ["app1"],
        "roleInheritance": "userOnly",
        "parent": "",
        "successors": [],
        "createdTime": 1_700_000_000,
        "authType": "none",
        "domains": [],
        "defaultRoles": [],
    }


def test_returned_tenants_are_copies(store: Store) -> None:
    store.create_tenant({"id": "t1", "name": "A", "selfProvisioningDomains": ["a.com"]})
    store.load_tenant("t1")["selfProvisioningDomains"].append("b.com")
    assert store.load_tenant("t1")["selfProvisioningDomains"] == ["a.com"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, (400, "E011002")),
        ({"name": ""}, (400, "E011002")),
        ({"name": None}, (400, "E011002")),
        ({"name": 5}, (400, "E011003")),
        ({"name": "A", "selfProvisioningDomains": "a.com"}, (400, "E011003")),
        ({"name": "A", "selfProvisioningDomains": [""]}, (400, "E011004")),
        ({"name": "A", "enforceSSO": "yes"}, (400, "E011003")),
        ({"name": "A", "customAttributes": []}, (400, "E011003")),
        ({"name": "A", "customAttributes": {"nested": {"x": 1}}}, (400, "E011003")),
        ({"name": "A", "roleInheritance": "everything"}, (400, "E011004")),
        ({"name": "A", "id": "has space"}, (400, "E011004")),
        ({"name": "A", "parent": "missing"}, (400, "E112202")),
    ],
)
def test_create_validation(store: Store, body: dict[str, object], expected: tuple[int, str]) -> None:
    with pytest.raises(DescopeError) as excinfo:
        store.create_tenant(body)
    assert code_of(excinfo) == expected
    assert store.tenant_count() == 0


def test_duplicate_id_name_and_domain_are_rejected(store: Store) -> None:
    store.create_tenant({"id": "t1", "name": "Acme", "selfProvisioningDomains": ["acme.com"]})
    for body in (
        {"id": "t1", "name": "Other"},
        {"name": "ACME"},  # names are unique case-insensitively
        {"name": "Other", "selfProvisioningDomains": ["x.com", "Acme.COM"]},
    ):
        with pytest.raises(DescopeError) as excinfo:
            store.create_tenant(body)
        assert code_of(excinfo) == (400, "E011004")
        assert "already exists" in excinfo.value.message
        assert "already exists" in excinfo.value.description
    assert store.tenant_count() == 1


def test_update_is_a_full_replace(store: Store) -> None:
    store.create_tenant(
        {
            "id": "t1",
            "name": "Acme",
            "selfProvisioningDomains": ["acme.com"],
            "customAttributes": {"k": "v"},
            "enforceSSO": True,
            "disabled": True,
            "federatedAppIds": ["a"],
            "roleInheritance": "none",
        }
    )
    store.update_tenant({"id": "t1", "name": "Acme 2", "parent": "ignored"})
    tenant = store.load_tenant("t1")
    assert tenant["name"] == "Acme 2"
    assert tenant["selfProvisioningDomains"] == []
    assert tenant["customAttributes"] == {}
    assert tenant["enforceSSO"] is False
    assert tenant["disabled"] is False
    assert tenant["federatedAppIds"] == []
    assert tenant["roleInheritance"] == ""
    assert tenant["parent"] == ""


def test_update_errors(store: Store) -> None:
    store.create_tenant({"id": "t1", "name": "A", "selfProvisioningDomains": ["a.com"]})
    store.create_tenant({"id": "t2", "name": "B"})
    cases: list[tuple[dict[str, Any], tuple[int, str]]] = [
        ({"name": "A"}, (400, "E011002")),
        ({"id": "t2"}, (400, "E011002")),
        ({"id": "nope", "name": "X"}, (400, "E112202")),
        ({"id": "t2", "name": "a"}, (400, "E011004")),
        ({"id": "t2", "name": "B", "selfProvisioningDomains": ["A.com"]}, (400, "E011004")),
    ]
    for body, expected in cases:
        with pytest.raises(DescopeError) as excinfo:
            store.update_tenant(body)
        assert code_of(excinfo) == expected, body
    # Keeping its own name and domains is no clash.
    store.update_tenant({"id": "t1", "name": "A", "selfProvisioningDomains": ["a.com"]})


def test_patch_changes_only_given_fields_and_is_atomic(store: Store) -> None:
    store.create_tenant({"id": "t1", "name": "A", "selfProvisioningDomains": ["a.com"], "disabled": True})
    store.create_tenant({"id": "t2", "name": "B"})
    store.patch_tenant({"id": "t1", "roleInheritance": "userOnly"})
    tenant = store.load_tenant("t1")
    assert (tenant["name"], tenant["disabled"], tenant["roleInheritance"]) == ("A", True, "userOnly")
    with pytest.raises(DescopeError):
        store.patch_tenant({"id": "t1", "disabled": False, "name": "b"})
    assert store.load_tenant("t1")["disabled"] is True


def test_hierarchy_and_cascade_delete(store: Store) -> None:
    store.create_tenant({"id": "root", "name": "Root"})
    store.create_tenant({"id": "child", "name": "Child", "parent": "root"})
    store.create_tenant({"id": "grandchild", "name": "Grandchild", "parent": "child"})
    store.create_tenant({"id": "other", "name": "Other"})
    store.create_role({"name": "r", "tenantId": "child"})
    assert store.load_tenant("root")["successors"] == ["child"]
    assert store.load_tenant("grandchild")["parent"] == "child"
    # Parent is honoured on create only.
    store.update_tenant({"id": "child", "name": "Child", "parent": "other"})
    assert store.load_tenant("child")["parent"] == "root"

    with pytest.raises(DescopeError) as excinfo:
        store.delete_tenant({"id": "root"})
    assert code_of(excinfo) == (400, "E011004")
    store.delete_tenant({"id": "child", "cascade": True})
    assert store.tenant_ids() == ["root", "other"]
    assert store.load_tenant("root")["successors"] == []
    assert [r["name"] for r in store.all_roles()["roles"]] == ["Tenant Admin"]  # tenant roles went too
    store.delete_tenant({"id": "root"})
    with pytest.raises(DescopeError) as excinfo:
        store.delete_tenant({"id": "root"})
    assert code_of(excinfo) == (400, "E112202")


def test_load_of_unknown_tenant_is_404(store: Store) -> None:
    for load in (store.load_tenant, store.load_settings):
        with pytest.raises(DescopeError) as excinfo:
            load("nope")
        assert code_of(excinfo) == (404, "E112202")
        with pytest.raises(DescopeError) as excinfo:
            load("")
        assert code_of(excinfo) == (400, "E011002")


def test_search_filters(store: Store) -> None:
    store.create_tenant({"id": "a", "name": "Alpha", "selfProvisioningDomains": ["alpha.io"]})
    store.create_tenant({"id": "b", "name": "Beta", "customAttributes": {"tier": "gold", "n": 1}})
    store.create_tenant({"id": "c", "name": "Gamma", "customAttributes": {"tier": "silver"}})

    def ids(body: dict[str, object]) -> list[str]:
        return [t["id"] for t in store.search_tenants(body)["tenants"]]

    assert ids({}) == ["a", "b", "c"]
    assert ids({"tenantIds": None, "tenantNames": [], "customAttributes": None}) == ["a", "b", "c"]
    assert ids({"tenantIds": ["a", "c", "zz"]}) == ["a", "c"]
    assert ids({"tenantNames": ["beta", "GAMMA"]}) == ["b", "c"]
    assert ids({"tenantSelfProvisioningDomains": ["ALPHA.io"]}) == ["a"]
    assert ids({"customAttributes": {"tier": "gold"}}) == ["b"]
    assert ids({"customAttributes": {"tier": ["gold", "silver"]}}) == ["b", "c"]
    assert ids({"customAttributes": {"tier": "gold", "n": 2}}) == []
    assert ids({"tenantIds": ["a", "b"], "tenantNames": ["Beta"]}) == ["b"]


def test_settings_full_replace_and_shared_domains(store: Store) -> None:
    store.create_tenant({"id": "t1", "name": "A", "selfProvisioningDomains": ["a.com"], "enforceSSO": True})
    store.create_tenant({"id": "t2", "name": "B", "selfProvisioningDomains": ["b.com"]})
    store.update_settings(
        {
            "tenantId": "t1",
            "selfProvisioningDomains": ["a.org"],
            "domains": ["sso.a.org"],
            "authType": "saml",
            "enabled": True,
            "sessionTokenExpiration": 30,
            "sessionTokenExpirationUnit": "hours",
            "JITDisabled": True,
        }
    )
    settings = store.load_settings("t1")
    assert settings["enabled"] is True
    assert (settings["sessionTokenExpiration"], settings["sessionTokenExpirationUnit"]) == (30, "hours")
    assert settings["JITDisabled"] is True
    assert settings["enforceSSO"] is True  # not sent, so unchanged
    tenant = store.load_tenant("t1")
    assert (tenant["selfProvisioningDomains"], tenant["domains"], tenant["authType"]) == (
        ["a.org"],
        ["sso.a.org"],
        "saml",
    )
    store.update_settings({"tenantId": "t1", "selfProvisioningDomains": []})
    settings = store.load_settings("t1")
    assert settings["enabled"] is False
    assert settings["sessionTokenExpiration"] == 10
    assert settings["authType"] == "none"
    settings_cases: list[tuple[dict[str, Any], tuple[int, str]]] = [
        ({"tenantId": "t1", "selfProvisioningDomains": ["B.com"]}, (400, "E011004")),
        ({"tenantId": "t1", "inactivityTimeUnit": "years"}, (400, "E011004")),
        ({"tenantId": "t1", "authType": "ldap"}, (400, "E011004")),
        ({"tenantId": "t1", "refreshTokenExpiration": -1}, (400, "E011003")),
        ({"tenantId": "nope"}, (400, "E112202")),
        ({}, (400, "E011002")),
    ]
    for body, expected in settings_cases:
        with pytest.raises(DescopeError) as excinfo:
            store.update_settings(body)
        assert code_of(excinfo) == expected, body


def test_permissions_and_roles(store: Store) -> None:
    store.create_tenant({"id": "t1", "name": "A"})
    store.create_permission({"name": "read", "description": "Read"})
    store.create_permission({"name": "write"})
    with pytest.raises(DescopeError) as excinfo:
        store.create_permission({"name": "read"})
    assert "already exists" in excinfo.value.message

    store.create_role({"name": "viewer", "permissionNames": ["read"]})
    store.create_role({"name": "viewer", "tenantId": "t1", "permissionNames": ["read", "write"]})
    with pytest.raises(DescopeError) as excinfo:
        store.create_role({"name": "viewer", "tenantId": "t1"})
    assert "already exists" in excinfo.value.message
    with pytest.raises(DescopeError) as excinfo:
        store.create_role({"name": "x", "permissionNames": ["nope"]})
    assert code_of(excinfo) == (400, "E011004")
    with pytest.raises(DescopeError) as excinfo:
        store.create_role({"name": "x", "tenantId": "nope"})
    assert code_of(excinfo) == (400, "E112202")

    store.update_permission({"name": "read", "newName": "view"})
    roles = store.all_roles()["roles"][1:]  # after the built-in "Tenant Admin"
    assert [r["permissionNames"] for r in roles] == [["view"], ["view", "write"]]
    assert all(re.fullmatch(r"ROL[A-Za-z0-9]{26}", r["id"]) for r in roles)
    custom = [p for p in store.all_permissions()["permissions"] if not p["systemDefault"]]
    assert [(p["name"], p["description"]) for p in custom] == [("view", ""), ("write", "")]
    assert all(re.fullmatch(r"PERM[A-Za-z0-9]{25}", p["id"]) for p in custom)
    store.delete_permission({"name": "write"})
    assert store.search_roles({"tenantIds": ["t1"]})["roles"][0]["permissionNames"] == ["view"]

    store.update_default_roles({"id": "t1", "defaultRoles": ["viewer"]})
    store.update_role({"name": "viewer", "newName": "reader", "description": "d"})
    assert store.load_tenant("t1")["defaultRoles"] == ["reader"]
    with pytest.raises(DescopeError):
        store.update_default_roles({"id": "t1", "defaultRoles": ["ghost"]})
    store.delete_role({"name": "reader"})
    assert store.load_tenant("t1")["defaultRoles"] == []
    with pytest.raises(DescopeError) as excinfo:
        store.delete_role({"name": "reader"})
    assert code_of(excinfo) == (400, "E112302")

    tenant_role = store.search_roles({"tenantIds": ["t1"]})["roles"][0]
    # Full replace: the permissions must be sent again or they are dropped.
    store.update_role(
        {"id": tenant_role["id"], "newName": "v2", "tenantId": "t1", "permissionNames": ["view"]}
    )
    store.create_role({"name": "admin", "permissionNames": ["view"]})
    names = [
        r["name"] for r in store.search_roles({"tenantIds": ["t1"], "includeProjectRoles": True})["roles"]
    ]
    assert names == ["Tenant Admin", "v2", "admin"]
    assert [r["name"] for r in store.search_roles({"roleNameLike": "ADM"})["roles"]] == [
        "Tenant Admin",
        "admin",
    ]
    assert [r["name"] for r in store.search_roles({"permissionNames": ["view"]})["roles"]] == ["v2", "admin"]
    assert [r["name"] for r in store.search_roles({"roleNames": ["v2"]})["roles"]] == ["v2"]
    assert store.search_roles({"roleIds": [tenant_role["id"]]})["roles"][0]["name"] == "v2"


def test_out_of_band_edits(store: Store) -> None:
    store.create_tenant({"id": "t1", "name": "A"})
    store.create_tenant({"id": "t2", "name": "B", "parent": "t1"})
    edited = store.edit_tenant("t1", name="Renamed", customAttributes={"k": 1}, createdTime=5)
    assert (edited["name"], edited["customAttributes"], edited["createdTime"]) == ("Renamed", {"k": 1}, 5)
    assert store.get_tenant("missing") is None
    store.remove_tenant("t1")
    assert store.tenant_count() == 0


def test_dump_and_load_round_trip(store: Store) -> None:
    store.create_permission({"name": "read"})
    store.create_tenant({"id": "root", "name": "Root", "selfProvisioningDomains": ["r.com"]})
    store.create_tenant({"id": "kid", "name": "Kid", "parent": "root"})
    store.create_role({"name": "viewer", "permissionNames": ["read"]})
    store.update_default_roles({"id": "kid", "defaultRoles": ["viewer"]})
    store.update_settings({"tenantId": "kid", "selfProvisioningDomains": ["k.com"], "enabled": True})
    dumped = store.dump()

    copy = Store()
    assert copy.load(dumped) == 2
    again = copy.dump()
    for tenant in again["tenants"] + dumped["tenants"]:
        tenant["settings"].pop("tenantId")
    for role in again["roles"] + dumped["roles"]:
        role.pop("id")
    # createdTime loads back as dumped (this copy's clock is the real one, the dump's a fake one).
    assert again == dumped

    bare = Store()
    assert bare.load([{"name": "Solo", "defaultRoles": []}]) == 1
    with pytest.raises(DescopeError):
        bare.load({"tenants": "nope"})


def test_new_project_built_ins_and_clear(store: Store) -> None:
    permissions = store.all_permissions()["permissions"]
    assert [(p["name"], p["systemDefault"]) for p in permissions] == [
        ("Impersonate", True),
        ("User Admin", True),
        ("SSO Admin", True),
    ]
    (tenant_admin,) = store.all_roles()["roles"]
    # The built-ins' ids are the same in every emulator (and do not use up the seeded generator).
    assert Store(seed=99).all_roles()["roles"][0]["id"] == tenant_admin["id"]
    with pytest.raises(DescopeError) as refused:  # Descope refuses any update of a built-in role
        store.update_role(
            {"name": "Tenant Admin", "newName": "Tenant Admin", "permissionNames": ["Impersonate"]}
        )
    assert (refused.value.status, refused.value.code) == (400, "E024214")
    store.create_role({"name": "viewer"})
    store.create_permission({"name": "read"})
    store.clear()
    assert store.all_roles()["roles"] == [tenant_admin]
    assert store.all_permissions()["permissions"] == permissions


def test_role_and_permission_batches_are_atomic(store: Store) -> None:
    store.create_tenant({"id": "t1", "name": "A"})
    store.update_default_roles({"id": "t1", "defaultRoles": []})
    before = store.dump()
    with pytest.raises(DescopeError) as excinfo:
        store.create_roles_batch({"roles": [{"name": "a"}, {"name": "b", "permissionNames": ["ghost"]}]})
    assert code_of(excinfo) == (400, "E011004")
    with pytest.raises(DescopeError) as excinfo:
        store.create_permissions_batch({"permissions": [{"name": "p"}, {"name": "p"}]})
    assert "already exists" in excinfo.value.message
    assert store.dump() == before
    for empty in ({}, {"roles": []}, {"roles": None}):
        with pytest.raises(DescopeError) as excinfo:
            store.create_roles_batch(empty)
        assert code_of(excinfo) == (400, "E011002")
    with pytest.raises(DescopeError) as excinfo:
        store.update_permissions_batch({"permissions": "read"})
    assert code_of(excinfo) == (400, "E011003")
    with pytest.raises(DescopeError) as excinfo:
        store.delete_permissions_batch({"names": [], "ids": None})
    assert code_of(excinfo) == (400, "E011002")


def test_empty_role_batch_delete_deletes_every_role_but_the_built_ins(store: Store) -> None:
    store.create_tenant({"id": "t1", "name": "A"})
    store.create_role({"name": "viewer"})
    store.create_role({"name": "viewer", "tenantId": "t1"})
    store.update_default_roles({"id": "t1", "defaultRoles": ["viewer"]})
    store.delete_roles_batch({"roleNames": None, "roleIds": [], "tenantId": ""})
    assert [r["name"] for r in store.all_roles()["roles"]] == ["Tenant Admin"]
    assert store.load_tenant("t1")["defaultRoles"] == []
    with pytest.raises(DescopeError) as excinfo:
        store.delete_roles_batch({"tenantId": "nope"})
    assert code_of(excinfo) == (400, "E112202")


def test_tenant_search_by_auth_type_and_parent(store: Store) -> None:
    store.create_tenant({"id": "root", "name": "Root"})
    store.create_tenant({"id": "a", "name": "A", "parent": "root"})
    store.create_tenant({"id": "b", "name": "B"})
    store.update_settings({"tenantId": "a", "authType": "saml"})
    store.update_settings({"tenantId": "b", "authType": "saml"})

    def ids(body: dict[str, Any]) -> list[str]:
        return [t["id"] for t in store.search_tenants(body)["tenants"]]

    assert ids({"authType": "saml"}) == ["a", "b"]
    assert ids({"authType": "saml", "parentTenantId": "root"}) == ["a"]
    assert ids({"authType": "", "parentTenantId": ""}) == ["root", "a", "b"]
    assert ids({"parentTenantId": "nope"}) == []


def test_load_keeps_seeded_ids_and_updates_built_ins(store: Store) -> None:
    store.load(
        {
            "permissions": [
                {"name": "Impersonate", "systemDefault": True},
                {"id": "PERMfixed", "name": "read"},
            ],
            "roles": [
                {"id": "ROLfixed", "name": "viewer", "permissionNames": ["read"]},
                {"name": "Tenant Admin", "description": "Seeded", "permissionNames": ["read"]},
            ],
        }
    )
    assert store.get_role("ROLfixed") == store.get_role("viewer")
    tenant_admin = store.get_role("Tenant Admin")
    assert tenant_admin is not None and (tenant_admin["description"], tenant_admin["permissionNames"]) == (
        "Seeded",
        ["read"],
    )
    assert [p["id"] for p in store.all_permissions()["permissions"]][3:] == ["PERMfixed"]
    assert store.get_role("ghost") is None
