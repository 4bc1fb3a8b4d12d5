"""pulumi_descope_dynamic.customers: what a file may get wrong that a value's own check cannot see
(two entries sharing a resource name, a domain in two tenants, a key written twice, a default role
created after its tenant) fails at load naming the entries; and a tenant's objects stay that tenant's
(its access keys' roles, what its objects are created after). Under pulumi.runtime.set_mocks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pulumi_descope_dynamic import customers

from tests.sdk.test_program_graphs import run


def _load(tmp_path: Path, text: str) -> customers.CustomersFile:
    path = tmp_path / "customers.yaml"
    path.write_text(text, encoding="utf-8")
    return customers.load(path)


def test_objects_of_two_tenants_whose_ids_and_names_join_alike_get_distinct_resource_names(
    tmp_path: Path,
) -> None:
    # `acme` + `eu-Admin` and `acme-eu` + `Admin` both made `acme-eu-Admin` (Duplicate resource URN).
    loaded = _load(
        tmp_path,
        """\
roles:
  - {name: acme-Admin}
tenants:
  - {id: acme, name: Acme, roles: [{name: eu-Admin}, {name: Admin}]}
  - {id: acme-eu, name: Acme EU, parent: acme, roles: [{name: Admin}],
     password_policy: {min_length: 12}, settings: {jit_disabled: true}}
""",
    )
    mocks = run(lambda: customers.declare(loaded))
    roles = {
        name: inputs.get("tenant_id")
        for name, inputs in mocks.resources.items()
        if "Role" in mocks.types[name]
    }
    assert roles == {
        "acme-Admin": None,
        "acme/eu-Admin": "acme",
        "acme/Admin": "acme",
        "acme-eu/Admin": "acme-eu",
    }
    # A tenant's settings keep the name examples/tenants-from-yaml gave them in 0.1.0 (stacks hold it).
    assert mocks.resources["acme-eu-settings"] == {"tenant_id": "acme-eu", "jit_disabled": True}
    assert mocks.resources["acme-eu/passwords"] == {"tenant_id": "acme-eu", "min_length": 12}


def test_two_objects_of_one_type_with_the_same_resource_name_fail_at_load_naming_both(tmp_path: Path) -> None:
    # A project role may hold a `/`; a tenant id may not, so this is the one collision left.
    with pytest.raises(
        customers.CustomersFileError,
        match=r"tenants\.0 \(acme\)\.roles\.0: its Role resource name 'acme/Admin' is also roles\.0's; "
        r"rename one of them",
    ):
        _load(
            tmp_path,
            "roles: [{name: acme/Admin}]\ntenants:\n  - {id: acme, name: Acme, roles: [{name: Admin}]}\n",
        )


def test_an_access_key_in_a_tenants_entry_holds_its_roles_in_that_tenant_only(tmp_path: Path) -> None:
    # It was a project key holding the project role Admin in every tenant.
    loaded = _load(
        tmp_path,
        """\
roles:
  - {name: Admin}
tenants:
  - id: acme
    name: Acme
    roles: [{name: Auditor}]
    access_keys:
      - {name: ci, role_names: [Admin, Auditor]}
      - {name: ops, tenant_roles: {acme: [Admin]}}
      - {name: bare}
""",
    )
    mocks = run(lambda: customers.declare(loaded))
    assert mocks.resources["acme/ci"] == {"name": "ci", "tenant_roles": {"acme": ["Admin", "Auditor"]}}
    assert mocks.resources["acme/ops"] == {"name": "ops", "tenant_roles": {"acme": ["Admin"]}}
    assert mocks.resources["acme/bare"] == {"name": "bare", "tenant_roles": {"acme": []}}


@pytest.mark.parametrize(
    ("key", "named"),
    [
        (
            "{name: ci, tenant_roles: {acme: [Admin], globex: [Admin]}}",
            r"tenants\.0 \(acme\)\.access_keys\.0\.tenant_roles: a key of tenant acme holds roles in acme "
            r"only, not in globex: write its roles as `role_names: \[\.\.\.\]`, or move it to the top-level",
        ),
        (
            "{name: ci, role_names: [Admin], tenant_roles: {acme: [Admin]}}",
            r"tenants\.0 \(acme\)\.access_keys\.0\.role_names: "
            r"give role_names \(its roles in this tenant\) only",
        ),
    ],
)
def test_what_a_tenants_access_key_cannot_hold_fails_at_load(tmp_path: Path, key: str, named: str) -> None:
    text = f"roles: [{{name: Admin}}]\ntenants:\n  - {{id: acme, name: Acme, access_keys: [{key}]}}\n"
    with pytest.raises(customers.CustomersFileError, match=named):
        _load(tmp_path, text)


def test_a_default_role_that_is_the_tenants_own_role_fails_at_load(tmp_path: Path) -> None:
    # The tenant is created before its roles (they need its id): `pulumi up` failed after previews passed.
    with pytest.raises(
        customers.CustomersFileError,
        match=r"tenants\.0 \(a\)\.default_roles: Auditor is a role of this tenant.*make it a project role",
    ):
        _load(
            tmp_path, "tenants:\n  - {id: a, name: A, default_roles: [Auditor], roles: [{name: Auditor}]}\n"
        )
    # A project role of that name is created before every tenant: fine.
    text = "roles: [{name: Auditor}]\ntenants:\n  - {id: a, name: A, default_roles: [Auditor], "
    text += "roles: [{name: Auditor}]}"
    assert _load(tmp_path, text).tenants[0].inputs["default_roles"] == ["Auditor"]


def test_a_domain_in_two_tenants_fails_at_load_naming_both(tmp_path: Path) -> None:
    # `pulumi up` created the first tenant and failed the second.
    with pytest.raises(
        customers.CustomersFileError,
        match=r"tenants\.1 \(b\)\.self_provisioning_domains: same\.com is also tenants\.0 \(a\)'s: a domain "
        r"belongs to one tenant only",
    ):
        _load(
            tmp_path,
            "tenants:\n  - {id: a, name: A, domains: [Same.com]}\n  - {id: b, name: B, domains: [same.com]}",
        )


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("tenants:\n  - {id: a, name: A, name: B}\n", 2, "name"),
        (
            "tenants:\n  - id: a\n    name: A\n    settings: {jit_disabled: true}\n    settings: {}\n",
            5,
            "settings",
        ),
        ("tenants: []\ntenants: []\n", 2, "tenants"),
    ],
)
def test_a_key_written_twice_in_one_mapping_fails_at_load_naming_the_line(
    tmp_path: Path, text: str, line: int, key: str
) -> None:
    # yaml.safe_load kept the last one silently.
    with pytest.raises(
        customers.CustomersFileError,
        match=rf"customers\.yaml: line {line}: the key '{key}' is written twice in one mapping.*keep one",
    ):
        _load(tmp_path, text)


def test_a_yaml_merge_may_still_override_the_keys_it_brings(tmp_path: Path) -> None:
    text = "tenants:\n  - &base {id: a, name: A, disabled: true}\n  - {<<: *base, id: b, name: B}\n"
    b = _load(tmp_path, text).tenants[1]
    assert (b.id, b.name, b.inputs["disabled"]) == ("b", "B", True)


def test_an_object_is_created_after_the_roles_of_its_own_tenant_only(tmp_path: Path) -> None:
    loaded = _load(
        tmp_path,
        """\
roles: [{name: Viewer}, {name: acme-Admin}]
users: [{login_id: ops@acme.com}]
tenants:
  - {id: acme, name: Acme, roles: [{name: Admin}],
     sso: [{sso_id: okta, display_name: Okta}],
     members: [{login_id: ops@acme.com, roles: [Admin]}]}
  - {id: globex, name: Globex, roles: [{name: Admin}]}
""",
    )
    found: dict[str, Any] = {}

    def program() -> None:
        declared = customers.declare(loaded)
        role = declared.resources["Role"]
        names = {id(resource): name for name, resource in role.items()}

        def needs(type_name: str, inputs: dict[str, Any]) -> set[str]:
            after = customers._needs(type_name, inputs, "acme", declared)
            return {names[id(r)] for r in after if id(r) in names}

        found["sso"] = needs("SsoConfiguration", {})
        found["member"] = needs("TenantMembership", {"login_id": "ops@acme.com", "roles": ["Admin"]})

    run(program)
    # An SSO configuration's role mappings name project roles or its tenant's, never globex's.
    assert found["sso"] == {"Viewer", "acme-Admin", "acme/Admin"}
    # `Admin` in acme is acme's role, not the project role named `acme-Admin`.
    assert found["member"] == {"acme/Admin"}
