"""pulumi_descope_dynamic.customers: the customers file and what `declare` declares from it, under
pulumi.runtime.set_mocks (what a program declares, not what Descope does)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi_descope_dynamic import customers

from tests.sdk.test_program_graphs import run

FILE = """\
tenants:
  - id: root
    name: Root
    settings: {session_settings_enabled: true, session_token_expiration: 15m}
  - id: child
    name: Child
    parent: root
    settings: {jit_disabled: true}
  - id: other
    name: Other
"""


def test_include_declares_a_shard_with_its_own_objects_and_refers_to_a_parent_elsewhere_by_id(
    tmp_path: Path,
) -> None:
    path = tmp_path / "customers.yaml"
    path.write_text(FILE, encoding="utf-8")
    loaded = customers.load(path)
    declared: list[customers.Declared] = []

    def shard() -> None:
        declared.append(customers.declare(loaded, include=lambda t: t.id != "root", project_level=False))

    mocks = run(shard)
    assert set(mocks.resources) == {"child", "child-settings", "other"}
    assert sorted(declared[0].tenants) == ["child", "other"]
    # The parent belongs to another stack: its id, a plain value, not a resource of this one.
    assert mocks.resources["child"]["parent_tenant_id"] == "root"
    assert mocks.resources["child-settings"] == {"tenant_id": "child", "jit_disabled": True}

    everything = run(lambda: customers.declare(loaded))
    assert set(everything.resources) == {"root", "root-settings", "child", "child-settings", "other"}


EVERYTHING = """\
permissions:
  - {name: invoices.read}
tenant_attributes:
  - {name: plan, display_name: Plan, type: string}
sso_applications:
  - {name: Portal, app_id: portal, oidc: {login_page_url: "https://portal.example.com/login"}}
roles:
  - {name: Viewer, permission_names: [invoices.read]}
users:
  - {login_id: bot@example.com, email: bot@example.com, test: true}
access_keys:
  - {name: ci, role_names: [Viewer]}
tenants:
  - id: acme
    name: Acme
    self_provisioning_domains: [acme.com]
    custom_attributes: {plan: gold}
    federated_app_ids: [portal]
    settings: {session_settings_enabled: true}
    password_policy: {min_length: 12}
    roles:
      - {name: Auditor, permission_names: [invoices.read]}
    sso:
      - sso_id: okta
        display_name: Okta
        oidc: {name: Okta, client_id: abc, auth_url: "https://o/a", token_url: "https://o/t",
               user_data_url: "https://o/u"}
        oidc_client_secret: {env: ACME_OKTA_SECRET}
    access_keys:
      - {name: backend, role_names: [Auditor]}   # its roles in acme
    members:
      - {login_id: bot@example.com, roles: [Auditor]}
"""


def test_every_type_is_declared_with_names_from_the_file_and_secrets_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "customers.yaml"
    path.write_text(EVERYTHING, encoding="utf-8")
    loaded = customers.load(path)
    monkeypatch.setenv("ACME_OKTA_SECRET", "okta-secret")
    mocks = run(lambda: customers.declare(loaded))
    assert {name: mocks.types[name].rpartition(":")[2] for name in mocks.resources} == {
        "invoices.read": "Permission",
        "plan": "TenantAttribute",
        "Portal": "SsoApplication",
        "Viewer": "Role",
        "acme": "Tenant",
        "acme-settings": "TenantSettings",
        "acme/passwords": "TenantPasswordPolicy",
        "acme/Auditor": "Role",
        "acme/okta": "SsoConfiguration",
        "bot@example.com": "User",
        "key-ci": "AccessKey",
        "acme/backend": "AccessKey",
        "acme/bot@example.com": "TenantMembership",
    }
    # A tenant's objects take its id; the secret comes from the environment, as a secret.
    assert mocks.resources["acme/Auditor"]["tenant_id"] == "acme"
    assert mocks.resources["acme/passwords"] == {"tenant_id": "acme", "min_length": 12}
    # Pulumi's wire form of a secret value.
    assert mocks.raw_inputs["acme/okta"]["oidc_client_secret"] == {
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        "value": "okta-secret",
    }
    assert "tenant_id" not in mocks.resources["Viewer"]
    # A tenant's key is that tenant's: its roles are its roles there, none project-wide.
    assert mocks.resources["acme/backend"] == {"name": "backend", "tenant_roles": {"acme": ["Auditor"]}}
    assert mocks.resources["key-ci"] == {"name": "ci", "role_names": ["Viewer"]}
    assert mocks.resources["acme"]["custom_attributes"] == {"plan": "gold"}

    # A shard: the tenant and all its objects, nothing of the project's.
    shard = run(lambda: customers.declare(loaded, project_level=False))
    assert {n for n in shard.resources if not n.startswith("acme")} == set()
    # The project's owner: no tenant, nothing of a tenant's.
    owner = run(lambda: customers.declare(loaded, include=lambda t: False))
    assert not {n for n in owner.resources if n.startswith("acme")}

    monkeypatch.delenv("ACME_OKTA_SECRET")
    with pytest.raises(
        customers.CustomersFileError, match=r"acme\.sso\.0\.oidc_client_secret.*ACME_OKTA_SECRET"
    ):
        run(lambda: customers.declare(loaded))


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (
            ("session_settings_enabled: true", "session_token_expiration: 15q"),
            r"tenants\.0 \(acme\)\.settings\.session_token_expiration: .*unknown unit",
        ),
        (
            ("{name: Auditor,", "{colour: red, name: Auditor,"),
            r"tenants\.0 \(acme\)\.roles\.0\.colour: Extra inputs",
        ),
        (
            ("{env: ACME_OKTA_SECRET}", "hunter2"),
            r"tenants\.0 \(acme\)\.sso\.0\.oidc_client_secret: a secret is never written in the file: "
            r"write `\{config: KEY\}`.* or `\{env: NAME\}`",
        ),
        (
            ("{name: Viewer,", "{name: Viewer}\n  - {name: Viewer,"),
            r"roles: name must be unique; repeated: Viewer",
        ),
        (
            ("- {name: Auditor,", "- {name: Auditor}\n      - {name: Auditor,"),
            r"tenants\.0 \(acme\)\.roles: name must be unique",
        ),
        (
            (
                "self_provisioning_domains: [acme.com]",
                "self_provisioning_domains: acme.com\n    domains: [a.com]",
            ),
            r"tenants\.0 \(acme\)\.domains: domains and self_provisioning_domains",
        ),
        (("access_keys:\n  - {name: ci", "groups:\n  - {name: ci"), r"groups: unknown key"),
    ],
)
def test_a_mistake_names_the_file_the_entry_and_the_field(
    tmp_path: Path, change: tuple[str, str], named: str
) -> None:
    path = tmp_path / "customers.yaml"
    assert change[0] in EVERYTHING
    path.write_text(EVERYTHING.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(customers.CustomersFileError, match=rf"customers\.yaml: .*{named}"):
        customers.load(path)
