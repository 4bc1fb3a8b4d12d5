"""`pulumi-descope export` against the emulator, in process: what the generated program declares,
how it refers to other objects, stable output, the YAML format, and errors. The round trip through
the engine is tests/cli/test_export_roundtrip.py."""

from __future__ import annotations

import ast
import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest
import requests
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic import customers
from pulumi_descope_dynamic.cli import ReadOnlySession, WriteRefused, main
from pulumi_descope_dynamic.cli.export import plan, render_python
from pulumi_descope_dynamic.cli.kinds import Kind, select
from pulumi_descope_dynamic.cli.live import Progress, read_live
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.settings import ClientSettings
from pulumi_descope_dynamic_provider.core import checks
from pulumi_descope_dynamic_provider.core.abilities import Adopts
from pulumi_descope_dynamic_provider.core.fields import Field, ResourceSpec, Sent
from pulumi_descope_dynamic_provider.core.provider import DescopeProvider
from pulumi_descope_dynamic_provider.tenant import TenantProvider

from tests.support.live_project import project_seed, settings_seed, write_requests
from tests.support.sso import IDP_CERT


@pytest.fixture(autouse=True)
def _key_from_env(monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer) -> None:
    for name in ("DESCOPE_PROJECT_ID", "DESCOPE_BASE_URL", "DESCOPE_BASE_URI", "DESCOPE_RATE_LIMIT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DESCOPE_MANAGEMENT_KEY", emulator.management_key)


def export(emulator: EmulatorServer, out: Path, *extra: str) -> int:
    return main(
        ["export", "--out", str(out), "--project-id", emulator.project_id, "--base-url", emulator.url, *extra]
    )


def declarations(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """(type, resource name, {input: source text}) of every declaration in the generated program."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if isinstance(node.func.value, ast.Name) and node.func.value.id == "descope":
            assert isinstance(node.args[0], ast.Constant)
            inputs = {kw.arg or "": ast.unparse(kw.value) for kw in node.keywords}
            found.append((node.func.attr, node.args[0].value, inputs))
    return found


def test_program_declares_every_object_adopted_with_references(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    emulator.state.load(project_seed(30))
    # Two roles whose names make the same resource name: both kept, under unique names.
    emulator.state.load({"roles": [{"name": "Ops Team"}, {"name": "ops-team"}]})
    assert export(emulator, tmp_path / "out") == 0
    assert write_requests(emulator.stats()) == {}
    text = (tmp_path / "out" / "__main__.py").read_text()
    compile(text, "__main__.py", "exec")
    declared = declarations(text)
    by_name = {(kind, name): inputs for kind, name, inputs in declared}

    assert len(by_name) == len(declared)  # unique resource names
    assert all(inputs["adopt"] == "True" for _, _, inputs in declared)
    counts = {kind: sum(1 for k, _, _ in declared if k == kind) for kind in ("Tenant", "Role", "Permission")}
    # 30 tenants; 3 + 2 project roles and 2 tenant roles (not the built-in Tenant Admin); 4 permissions
    # (not the system ones).
    assert counts == {"Tenant": 30, "Role": 7, "Permission": 4}
    assert ("Role", "ops-team") in by_name and ("Role", "ops-team-2") in by_name

    # References as references, built-ins by name.
    assert by_name[("Tenant", "t001")]["parent_tenant_id"] == "tenant_t000.id"
    assert by_name[("Tenant", "t005")]["parent_tenant_id"] == "tenant_t004.id"  # three levels
    assert by_name[("Tenant", "t000")]["default_roles"] == "[role_viewer.name]"
    assert by_name[("Role", "t025-local-admin")]["tenant_id"] == "tenant_t025.id"
    assert (
        by_name[("Role", "t025-local-admin")]["permission_names"] == "['SSO Admin', perm_invoices_write.name]"
    )
    assert by_name[("Role", "billing-admin")]["permission_names"] == (
        "['User Admin', perm_invoices_read.name, perm_invoices_write.name]"
    )
    assert by_name[("Tenant", "t003")]["custom_attributes"] == "{'plan': 'pro', 'seats': 3}"
    assert by_name[("Tenant", "t000")]["self_provisioning_domains"] == (
        "['t000-corp.example.org', 't000.example.com']"
    )
    assert "Tenant Admin" not in text and "Impersonate" not in text

    # Declared before use: every referenced variable is assigned on an earlier line.
    assigned: dict[str, int] = {}
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            assigned[node.targets[0].id] = node.lineno
    for node in ast.walk(ast.parse(text)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id != "descope"
        ):
            assert assigned[node.value.id] < node.lineno, node.value.id

    config = (tmp_path / "out" / "Pulumi.dev.yaml").read_text()
    assert emulator.project_id in config and emulator.url in config
    assert emulator.management_key not in config + text


def test_output_is_stable_whatever_the_listing_order(tmp_path: Path, emulator: EmulatorServer) -> None:
    seed = project_seed(40)
    emulator.state.load(seed)
    # Three exports of 40 tenants (two per-tenant reads each) would wait on the default budget for a
    # minute; the budget is not what this test is about.
    assert export(emulator, tmp_path / "a", "--rate-limit", "off") == 0
    assert export(emulator, tmp_path / "b", "--rate-limit", "off") == 0
    assert (tmp_path / "a" / "__main__.py").read_text() == (tmp_path / "b" / "__main__.py").read_text()

    # The same project created in another order lists in another order: the program is the same.
    with EmulatorServer() as other:
        other.state.load({"permissions": seed["permissions"][::-1]})
        other.state.load({"roles": [r for r in seed["roles"] if "tenantId" not in r][::-1]})
        # Tenants level by level (parents must exist first), each level in reverse.
        levels: list[list[dict[str, Any]]] = [[], [], []]
        depth: dict[str, int] = {}
        for tenant in seed["tenants"]:
            depth[tenant["id"]] = depth[tenant["parent"]] + 1 if "parent" in tenant else 0
            levels[depth[tenant["id"]]].append({k: v for k, v in tenant.items() if k != "defaultRoles"})
        for level in levels:
            other.state.load({"tenants": level[::-1]})
        other.state.load({"roles": [r for r in seed["roles"] if "tenantId" in r][::-1]})
        for tenant in seed["tenants"][::-1]:
            if tenant.get("defaultRoles"):
                other.state.update_default_roles({"id": tenant["id"], "defaultRoles": tenant["defaultRoles"]})
        listed = [[t["id"] for t in server.state.all_tenants()["tenants"]] for server in (emulator, other)]
        assert listed[0] != listed[1] and sorted(listed[0]) == sorted(listed[1])
        assert export(other, tmp_path / "c", "--rate-limit", "off") == 0
    assert (tmp_path / "c" / "__main__.py").read_text() == (tmp_path / "a" / "__main__.py").read_text()


def test_only_tenants_refers_to_roles_by_name(tmp_path: Path, emulator: EmulatorServer) -> None:
    emulator.state.load(project_seed(5))
    assert export(emulator, tmp_path / "out", "--only", "tenants") == 0
    declared = declarations((tmp_path / "out" / "__main__.py").read_text())
    assert {kind for kind, _, _ in declared} == {"Tenant"}
    assert {name: inputs.get("default_roles") for _, name, inputs in declared}["t000"] == "['Viewer']"


def test_yaml_is_the_tenants_from_yaml_format(tmp_path: Path, emulator: EmulatorServer) -> None:
    emulator.state.load(project_seed(12))
    emulator.state.create_tenant(
        {"id": "odd", "name": 'Odd "no" 1e3: yes', "enforceSSOExclusions": ["U1"], "federatedAppIds": ["app"]}
    )
    assert export(emulator, tmp_path / "out", "--format", "yaml", "--stack", "prod") == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["Pulumi.prod.yaml", "tenants.prod.yaml"]
    loaded = customers.load(tmp_path / "out" / "tenants.prod.yaml")
    entries = {entry.id: entry for entry in loaded.tenants}
    assert len(entries) == 13 and all(entry.adopt for entry in entries.values())
    assert entries["t005"].parent == "t004"
    t000 = entries["t000"].inputs
    assert t000["self_provisioning_domains"] == ["t000-corp.example.org", "t000.example.com"]
    assert t000["custom_attributes"] == {"plan": "free", "seats": 0}
    assert t000["default_roles"] == ["Viewer"] and t000["enforce_sso"]
    assert entries["t011"].inputs["disabled"] and "disabled" not in entries["t010"].inputs
    assert entries["odd"].name == 'Odd "no" 1e3: yes'
    odd = entries["odd"].inputs
    assert odd["enforce_sso_exclusions"] == ["U1"] and odd["federated_app_ids"] == ["app"]
    assert [e.id for e in loaded.parents_first()] == [e.id for e in loaded.tenants]  # parents already first


def test_errors_exit_2_with_the_fix(
    tmp_path: Path, emulator: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export(emulator, tmp_path / "out") == 0
    assert export(emulator, tmp_path / "out") == 2
    assert "--force" in capsys.readouterr().err
    assert export(emulator, tmp_path / "out", "--force") == 0

    assert export(emulator, tmp_path / "x", "--only", "tenants,groups") == 2
    assert "unknown type(s) groups" in capsys.readouterr().err

    assert main(["export", "--out", str(tmp_path / "y"), "--base-url", emulator.url]) == 2
    assert "DESCOPE_PROJECT_ID" in capsys.readouterr().err

    with pytest.raises(SystemExit) as info:
        main(["export", "--format", "json"])
    assert info.value.code == 2


def test_progress_goes_to_stderr_and_quiet_silences_it(
    tmp_path: Path, emulator: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    emulator.state.load(project_seed(3))
    assert export(emulator, tmp_path / "a") == 0
    out, err = capsys.readouterr()
    assert out == ""
    # One list each for tenants, roles, permissions, access keys and SSO applications, and SSO
    # configurations, tenant settings and password policies one request per tenant each (Descope reads
    # them per tenant only): 5 + 3 + 3 + 3 steps, one more request for the project's password policy;
    # tenant attributes (Descope lists none) are one step: one load per key the tenants use ("plan",
    # "seats"), found in the one tenant list: 2 requests.
    assert "15/15" in err and "(17 requests" in err
    assert export(emulator, tmp_path / "b", "--quiet") == 0
    assert capsys.readouterr().err.count("\n") == 1  # the closing summary only


def test_the_session_refuses_every_write(emulator: EmulatorServer) -> None:
    session = ReadOnlySession()
    for method, path in (("POST", "/v1/mgmt/tenant/create"), ("PATCH", "/v1/mgmt/tenant/patch")):
        with pytest.raises(WriteRefused, match="only reads"):
            session.request(method, emulator.url + path, json={})
    assert session.request("POST", emulator.url + "/v1/mgmt/tenant/search", json={}).status_code == 401
    assert emulator.stats()["requests"] == {"POST /v1/mgmt/tenant/search": {"401": 1}}
    assert isinstance(session, requests.Session)


class _WithSecret(Adopts[Any], DescopeProvider[Any]):
    """A type with a write-only secret, for export only: its API hooks are never called."""

    spec = ResourceSpec(
        type_name="Widget",
        kind="widget",
        fields=(
            Field("name", checks.required_name("w"), required=True),
            Field("token", checks.description, secret=True, returned=False),
            Field("adopt", checks.boolean, sent=Sent.NEVER),
        ),
    )

    def live_id(self, live: Any) -> str:
        return str(live.name)

    def find_existing(self, client: Any, inputs: Any) -> Any:
        raise AssertionError("export never calls the API hooks")

    adopt_remote = update_remote = find_existing


def test_a_kind_with_a_write_only_secret_exports_a_config_placeholder() -> None:
    kind = Kind(
        key="widgets",
        provider=_WithSecret,
        var_prefix="widget",
        resource_name=lambda live: live.name,
        order=lambda live, index: (4, live.name),
    )

    class Live:
        name = "w1"
        token = None

    assert plan({"widgets": [Live()]}, (dataclasses.replace(kind, exportable=False),)) == []
    text = render_python(plan({"widgets": [Live()]}, (kind,)), "P2x")
    assert "import pulumi\n" in text and "config = pulumi.Config()" in text
    assert declarations(text) == [
        ("Widget", "w1", {"name": "'w1'", "token": "config.require_secret('w1-token')", "adopt": "True"})
    ]


def test_a_kind_listed_per_tenant_costs_one_request_per_tenant_with_progress(
    emulator: EmulatorServer,
) -> None:
    emulator.state.load(project_seed(4))
    # A stand-in for the types Descope lists tenant by tenant (SSO configurations, tenant settings).
    per_tenant = Kind(
        key="tenant-loads",
        provider=TenantProvider,
        var_prefix="loaded",
        resource_name=lambda live: live.id,
        order=lambda live, index: (4, live.id),
        per_tenant=lambda client, tenant_id: [client.load_tenant(tenant_id)],
    )
    stream = io.StringIO()
    settings = ClientSettings(emulator.project_id, emulator.management_key, emulator.url)
    client = DescopeClient(settings, session=ReadOnlySession())
    found, _ = read_live(client, (per_tenant,), Progress(stream))
    assert [t.id for t in found["tenant-loads"]] == ["t000", "t001", "t002", "t003"]
    assert emulator.stats()["requests"] == {
        "GET /v1/mgmt/tenant/all": {"200": 1},
        "GET /v1/mgmt/tenant": {"200": 4},
    }
    assert stream.getvalue().splitlines() == [
        "pulumi-descope [....................] 0/1 listing tenants",
        "pulumi-descope [####................] 1/5 listing tenant-loads of tenant t000",
        "pulumi-descope [########............] 2/5 listing tenant-loads of tenant t001",
        "pulumi-descope [############........] 3/5 listing tenant-loads of tenant t002",
        "pulumi-descope [################....] 4/5 listing tenant-loads of tenant t003",
        "pulumi-descope [####################] 5/5 listed 4 tenant-loads",
    ]


def test_sso_configurations_export_with_the_secret_as_a_placeholder_and_keys_are_not_declared(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    oidc = {
        "name": "Okta",
        "clientId": "cid",
        "clientSecret": "never-in-the-export",
        "authUrl": "https://idp.example/a",
        "tokenUrl": "https://idp.example/t",
        "userDataUrl": "https://idp.example/u",
        "scope": ["openid"],
    }
    api = requests.Session()
    api.headers.update(emulator.headers)
    api.post(emulator.url + "/v1/mgmt/sso/oidc", json={"tenantId": "acme", "settings": oidc}, timeout=5)
    api.post(
        emulator.url + "/v1/mgmt/accesskey/create",
        json={"name": "backend", "expireTime": 0, "roleNames": []},
        timeout=5,
    ).raise_for_status()

    assert export(emulator, tmp_path / "out", "--quiet") == 0
    text = (tmp_path / "out" / "__main__.py").read_text()
    found = {(kind, name): inputs for kind, name, inputs in declarations(text)}
    sso = found[("SsoConfiguration", "acme-default_ssoid")]
    assert sso["tenant_id"] == "tenant_acme.id" and sso["adopt"] == "True"
    assert sso["oidc_client_secret"].startswith("config.require_secret(")
    assert "never-in-the-export" not in text
    # A key cannot be adopted (its cleartext is gone): declaring it would mint a new one.
    assert not [kind for kind, _ in found if kind == "AccessKey"]


def test_tenant_settings_export_where_they_differ_from_a_new_tenant_s(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    emulator.state.load(settings_seed())
    assert export(emulator, tmp_path / "out", "--quiet") == 0
    assert write_requests(emulator.stats()) == {}
    assert emulator.stats()["requests"]["GET /v1/mgmt/tenant/settings"] == {"200": 4}  # one per tenant
    text = (tmp_path / "out" / "__main__.py").read_text()
    found = {(kind, name): inputs for kind, name, inputs in declarations(text) if kind == "TenantSettings"}
    # Not the tenant as a new tenant has it: that would only pin the project's defaults.
    assert sorted(found) == [
        ("TenantSettings", "acme-settings"),
        ("TenantSettings", "globex-settings"),
        ("TenantSettings", "hooli-settings"),
    ]
    # Every setting as it is live, durations in their canonical form, the tenant as a reference; no
    # adopt (TenantSettings has none: configuring settings already in place writes nothing).
    assert found[("TenantSettings", "acme-settings")] == {
        "tenant_id": "tenant_acme.id",
        "session_settings_enabled": "True",
        "session_token_expiration": "'1h'",
        "refresh_token_expiration": "'2w'",
        "stepup_token_expiration": "'10m'",
        "enable_inactivity": "True",
        "inactivity_time": "'30m'",
        "jit_disabled": "False",
        "sso_setup_suite": "{'disabled_features': [], 'enabled': False, 'style_id': ''}",
    }
    assert found[("TenantSettings", "globex-settings")]["jit_disabled"] == "True"
    assert found[("TenantSettings", "hooli-settings")]["sso_setup_suite"] == (
        "{'disabled_features': ['scim'], 'enabled': True, 'style_id': ''}"
    )
    # Declared after its tenant (the reference needs the variable).
    assert text.index("tenant_acme = descope.Tenant(") < text.index(
        "descope.TenantSettings(\n        'acme-settings'"
    )

    # Without the tenants, the tenant id is a literal.
    assert export(emulator, tmp_path / "only", "--quiet", "--only", "tenant_settings") == 0
    alone = declarations((tmp_path / "only" / "__main__.py").read_text())
    assert {inputs["tenant_id"] for _, _, inputs in alone} == {"'acme'", "'globex'", "'hooli'"}


def test_tenant_settings_go_inside_their_tenant_s_yaml_entry(
    tmp_path: Path, emulator: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    emulator.state.load(settings_seed())
    assert export(emulator, tmp_path / "out", "--format", "yaml") == 0
    assert "not written" not in capsys.readouterr().err
    entries = {entry.id: entry for entry in customers.load(tmp_path / "out" / "tenants.dev.yaml").tenants}
    assert entries["plain"].settings is None
    acme = entries["acme"].settings
    assert acme == {
        "session_settings_enabled": True,
        "session_token_expiration": "1h",
        "refresh_token_expiration": "2w",
        "stepup_token_expiration": "10m",
        "enable_inactivity": True,
        "inactivity_time": "30m",
        "jit_disabled": False,
        "sso_setup_suite": {"disabled_features": [], "enabled": False, "style_id": ""},
    }
    hooli = entries["hooli"].settings
    assert hooli is not None and hooli["sso_setup_suite"] == {
        "disabled_features": ["scim"],
        "enabled": True,
        "style_id": "",
    }

    # Settings without their tenants have no place in the file: said, not silently dropped.
    assert export(emulator, tmp_path / "only", "--format", "yaml", "--only", "tenant_settings") == 0
    assert "tenant_settings not written" in capsys.readouterr().err
    assert (tmp_path / "only" / "tenants.dev.yaml").read_text().endswith("tenants: []\n")


@pytest.mark.parametrize("keys", [("tenants", "tenant_attributes", "sso"), ("tenant_attributes",)])
def test_tenant_attributes_are_found_in_the_one_tenant_list(
    emulator: EmulatorServer, keys: tuple[str, ...]
) -> None:
    """Descope lists no attributes: they are the ones tenants hold values for, found in the tenant
    list the command reads anyway (for the tenants, and the types read tenant by tenant)."""
    emulator.state.load(project_seed(3))  # its tenants hold values for "plan" and "seats"
    definition = {"name": "plan", "displayName": "Plan", "type": "string"}
    requests.post(
        f"{emulator.url}/v1/mgmt/tenant/attribute", json=definition, headers=emulator.headers, timeout=10
    )
    settings = ClientSettings(emulator.project_id, emulator.management_key, emulator.url)
    client = DescopeClient(settings, session=ReadOnlySession())
    found, _ = read_live(client, select(",".join(keys)), Progress(io.StringIO()))
    assert [attribute.name for attribute in found["tenant_attributes"]] == ["plan"]
    sent = emulator.stats()["requests"]
    assert sent["GET /v1/mgmt/tenant/all"] == {"200": 1}
    assert sent["GET /v1/mgmt/tenant/attribute"] == {"200": 1, "404": 1}


@pytest.mark.parametrize("format", ["python", "yaml"])
def test_a_saml_configuration_exports_without_an_oidc_secret(
    tmp_path: Path, emulator: EmulatorServer, format: str
) -> None:
    """Only an OIDC configuration has a client secret: a placeholder on a SAML one would fail the
    exported project's preview on a `pulumi config` key with nothing to set."""
    emulator.state.load(
        {
            "tenants": [{"id": "bond", "name": "Bond"}],
            "ssoConfigurations": [
                {
                    "tenantId": "bond",
                    "ssoId": "saml-one",
                    "authType": "saml",
                    "displayName": "Bond SAML",
                    "saml": {
                        "entityId": "https://idp.example/e",
                        "idpUrl": "https://idp.example/sso",
                        "idpCert": IDP_CERT,
                    },
                }
            ],
        }
    )
    out = tmp_path / "out"
    assert export(emulator, out, "--quiet", "--format", format, "--only", "tenants,sso") == 0
    if format == "yaml":
        [tenant] = customers.load(out / "tenants.dev.yaml").tenants
        [sso] = tenant.parts["sso"]
        assert sso.get("saml") and "oidc_client_secret" not in sso, sso
    else:
        text = (out / "__main__.py").read_text()
        [(_, _, inputs)] = [d for d in declarations(text) if d[0] == "SsoConfiguration"]
        assert "saml" in inputs and "oidc_client_secret" not in inputs, inputs
        assert "require_secret" not in text


def test_the_export_says_tenant_attributes_no_tenant_uses_are_left_out(
    tmp_path: Path, emulator: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Descope lists no attribute definitions: an unused one cannot be found, so the export says so."""
    requests.post(
        f"{emulator.url}/v1/mgmt/tenant/attribute",
        json={"name": "unused", "displayName": "Unused", "type": "string"},
        headers=emulator.headers,
        timeout=10,
    ).raise_for_status()
    assert export(emulator, tmp_path / "out", "--only", "tenants,tenant_attributes") == 0
    err = capsys.readouterr().err
    assert "tenant_attributes: Descope lists none" in err and "TenantAttribute(..., adopt=True)" in err
    assert "unused" not in (tmp_path / "out" / "__main__.py").read_text()
    assert export(emulator, tmp_path / "roles", "--only", "roles") == 0
    assert "Descope lists none" not in capsys.readouterr().err
