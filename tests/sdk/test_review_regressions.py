"""REVIEW REGRESSIONS (branch `review`, 2026-12-06): each test reproduces one bug found by the
adversarial review of the customers file, the YAML export and the sharded example. They FAIL on main
as of 1a46537 on purpose; each test's docstring names the finding and the file to fix. Delete the
marker comment once a test passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi_descope_dynamic import customers

from tests.sdk.test_program_graphs import run

ROOT = Path(__file__).resolve().parents[2]


def _load(tmp_path: Path, text: str) -> customers.CustomersFile:
    path = tmp_path / "customers.yaml"
    path.write_text(text, encoding="utf-8")
    return customers.load(path)


# REVIEW BUG 1 (resource names collide): customers.py Part.resource_name "{tenant}-{id}".
def test_review_bug1_tenant_roles_of_two_tenants_never_share_a_resource_name(tmp_path: Path) -> None:
    """Tenant `acme` with role `eu-Admin` and tenant `acme-eu` with role `Admin` both become Role
    `acme-eu-Admin`: `pulumi preview` fails "Duplicate resource URN" naming no file entry (and an
    export of such a project cannot be applied). Expected: distinct names, or a load error naming
    both entries."""
    text = """\
tenants:
  - {id: acme, name: Acme, roles: [{name: eu-Admin}]}
  - {id: acme-eu, name: Acme EU, parent: acme, roles: [{name: Admin}]}
"""
    try:
        loaded = _load(tmp_path, text)
    except customers.CustomersFileError as exc:
        assert "acme" in str(exc) and "acme-eu" in str(exc)
        return
    declared: list[customers.Declared] = []
    run(lambda: declared.append(customers.declare(loaded)))
    assert len(declared[0].resources["Role"]) == 2  # one was overwritten: same name


# REVIEW BUG 2 (a tenant's access key is project-wide): customers.py _declare_one / Part access_keys.
def test_review_bug2_an_access_key_in_a_tenant_entry_gets_no_project_wide_roles(tmp_path: Path) -> None:
    """An access key written under tenant `acme` with `role_names: [Admin]` is created as a
    project-level key holding the project role Admin in every tenant (keyTenants empty; checked
    against the emulator). Expected: the key scoped to its tenant (tenant_roles {acme: [...]}), or a
    load error at tenants.0.access_keys.0.role_names saying to use tenant_roles."""
    text = """\
roles:
  - {name: Admin}
tenants:
  - id: acme
    name: Acme
    access_keys:
      - {name: ci, role_names: [Admin]}
"""
    try:
        loaded = _load(tmp_path, text)
    except customers.CustomersFileError as exc:
        assert "tenants.0.access_keys.0" in str(exc)
        return
    def program() -> None:
        customers.declare(loaded)

    mocks = run(program)
    key = mocks.resources["acme-key-ci"]
    assert not key.get("role_names"), key
    assert key.get("tenant_roles") == {"acme": ["Admin"]}, key


# REVIEW BUG 5 (default_roles naming the tenant's own role): customers.py load/_consistent.
def test_review_bug5_default_roles_naming_the_tenants_own_role_fails_at_load(tmp_path: Path) -> None:
    """The tenant is created before its roles (they need its id), so `pulumi up` fails "tenant 'a'
    was not created: setting its default roles failed: ... Role 'Auditor' not found" after previews
    passed. Expected: a load error at tenants.0.default_roles naming the role."""
    with pytest.raises(customers.CustomersFileError, match=r"tenants\.0\.default_roles.*Auditor"):
        _load(
            tmp_path, "tenants:\n  - {id: a, name: A, default_roles: [Auditor], roles: [{name: Auditor}]}\n"
        )


# REVIEW BUG 6 (a domain given to two tenants of the file): customers.py _consistent.
def test_review_bug6_a_domain_in_two_tenants_fails_at_load(tmp_path: Path) -> None:
    """Tenant names are checked unique in the file, self-provisioning domains not: `pulumi up`
    creates the first tenant, fails the second with a message about swapping values in two steps."""
    with pytest.raises(customers.CustomersFileError, match=r"same\.com"):
        _load(
            tmp_path,
            "tenants:\n  - {id: a, name: A, domains: [same.com]}\n"
            "  - {id: b, name: B, domains: [same.com]}\n",
        )


# REVIEW BUG 7 (a key written twice in an entry): customers.py load (yaml.safe_load keeps the last).
def test_review_bug7_a_key_repeated_in_an_entry_fails_at_load(tmp_path: Path) -> None:
    """`settings:` written twice in a tenant (or `name:`) silently keeps only the last one."""
    with pytest.raises(customers.CustomersFileError, match=r"name"):
        _load(tmp_path, "tenants:\n  - {id: a, name: A, name: B}\n")
