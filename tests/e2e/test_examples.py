"""The repository's Pulumi projects, used as the README says: `cd` there and type `pulumi` commands.

Each test copies the project's files (tests.support.cli.PulumiProject.from_example) with a `.venv`
at the repository root of the copy, so every Pulumi.yaml runs unchanged: the language host and the
official dynamic-provider plugin script must both find the virtualenv it names.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer

from tests.support.cli import PulumiProject, changes

pytestmark = pytest.mark.e2e

TENANTS_FROM_YAML = "examples/tenants-from-yaml"


@pytest.fixture
def prod_emulator() -> Iterator[EmulatorServer]:
    """A second Descope project: the prod environment, with its own id and key."""
    with EmulatorServer(project_id="P2prod0000000000000000000000", management_key="K2prod") as server:
        yield server


def live_roles(emulator: EmulatorServer) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r.get("tenantId") or "", r["name"]): r for r in emulator.state.all_roles()["roles"]}


def test_root_pulumi_yaml_deploys_the_quickstart(tmp_path: Path, emulator: EmulatorServer) -> None:
    project = PulumiProject.from_example(
        tmp_path, "Pulumi.yaml", "__main__.py", "examples/quickstart", cwd="."
    )
    project.init_stack("dev", emulator)
    project.run("config", "set", "--secret", "oidcClientSecret", "quickstart-e2e-client-secret")

    # The stack, 2 tenant attributes, 5 tenants, 3 roles, 2 permissions, 1 SSO configuration, 1 access
    # key and Acme's session settings.
    assert changes(project.run("up", "--yes")) == {"create": 16}
    outputs = project.outputs()
    assert sorted(emulator.state.tenant_ids()) == sorted(
        ["acme", "acme-eu", "initech", "umbrella", outputs["globex_id"]]
    )
    assert outputs["acme_eu_parent"] == "acme"
    assert emulator.state.get_tenant("acme")["defaultRoles"] == ["Viewer"]
    assert emulator.state.get_tenant("acme")["customAttributes"] == {"plan": "enterprise", "seats": 250}
    roles = live_roles(emulator)
    assert roles[("", "Billing Admin")]["permissionNames"] == ["invoices.read", "invoices.write"]
    assert roles[("", "Billing Admin")]["id"] == outputs["billing_admin_role_id"]
    assert roles[("acme", "Auditor")]["permissionNames"] == ["invoices.read"]
    assert emulator.state.get_tenant("initech")["authType"] == "oidc"
    session = emulator.state.load_settings("acme")
    assert session["enabled"] is True
    assert (session["inactivityTime"], session["inactivityTimeUnit"]) == (1, "hours")
    assert "quickstart-e2e-client-secret" not in project.export()
    # Right after `up`, the stack reads as it will after a refresh: no output is missing or unknown
    # (a created tenant's created_time is known only after a refresh, so the quickstart exports none).
    preview = project.run("preview", "--expect-no-changes", "--diff")
    assert "[unknown]" not in preview.output, preview.output
    assert None not in project.outputs().values()

    # A refresh of the whole stack: one list request per type (tenants, roles, permissions, access
    # keys) plus one per tenant that has SSO configurations and one per TenantSettings (Descope has no
    # list of settings); tenant attributes, which Descope does not list: one load per key the tenants
    # use (found in the tenant list the Tenant type read); and the plugin's once-per-process license
    # handshake. (Without --skip-preview the
    # CLI reads everything twice: once for its preview, once for the refresh.)
    before = emulator.stats()["total"]
    assert changes(project.run("refresh", "--yes", "--skip-preview")) == {"same": 16}
    assert emulator.stats()["total"] - before == 5 + 1 + 2 + 1
    project.run("preview", "--expect-no-changes")


def test_tenants_from_yaml_with_a_dev_and_a_prod_stack_in_one_directory(
    tmp_path: Path, emulator: EmulatorServer, prod_emulator: EmulatorServer
) -> None:
    project = PulumiProject.from_example(tmp_path, TENANTS_FROM_YAML, cwd=TENANTS_FROM_YAML)
    project.init_stack("dev", emulator)
    project.run("up", "--yes")
    project.init_stack("prod", prod_emulator)  # `stack init` selects the new stack
    project.run("up", "--yes")

    assert sorted(emulator.state.tenant_ids()) == ["dev-acme", "dev-acme-qa", "dev-globex"]
    assert emulator.state.get_tenant("dev-acme-qa")["parent"] == "dev-acme"
    assert sorted(prod_emulator.state.tenant_ids()) == ["acme", "globex"]
    assert prod_emulator.state.get_tenant("acme")["enforceSSO"] is True
    assert sorted(project.outputs()["tenant_ids"]) == ["acme", "globex"]
    # Per-tenant settings from each file: dev-acme's refresh token "7d" is sent as 1 week.
    dev_session = emulator.state.load_settings("dev-acme")
    assert (dev_session["refreshTokenExpiration"], dev_session["refreshTokenExpirationUnit"]) == (1, "weeks")
    assert dev_session["JITDisabled"] is True
    assert prod_emulator.state.load_settings("acme")["enableInactivity"] is True
    assert {"dev", "prod*"} <= set(project.run("stack", "ls").stdout.split())

    # A change to prod's file touches prod only. A key in a tenant's entry is that tenant's, and its
    # cleartext a secret output of the stack.
    prod_file = project.dir / "tenants.prod.yaml"
    initech = (
        "  - id: initech\n    name: Initech\n    roles: [{name: Ops}]\n"
        "    access_keys: [{name: ci, role_names: [Ops]}]\n"
    )
    prod_file.write_text(prod_file.read_text() + initech)
    assert changes(project.run("up", "--yes")) == {"create": 3, "same": 4}
    assert sorted(prod_emulator.state.tenant_ids()) == ["acme", "globex", "initech"]
    [key_id] = prod_emulator.state.access_keys.ids()
    key = prod_emulator.state.access_keys.get(key_id)
    assert key is not None and key["roleNames"] == []
    assert [(t["tenantId"], t["roleNames"]) for t in key["keyTenants"]] == [("initech", ["Ops"])]
    assert project.outputs()["access_keys"] == {"initech/ci": "[secret]"}
    cleartext = project.outputs(show_secrets=True)["access_keys"]["initech/ci"]
    assert prod_emulator.state.access_keys.verify(cleartext) == key_id
    project.run("stack", "select", "dev")
    project.run("preview", "--expect-no-changes")
    assert sorted(emulator.state.tenant_ids()) == ["dev-acme", "dev-acme-qa", "dev-globex"]


def test_a_bad_tenants_file_fails_preview_with_the_file_and_field_and_the_programs_frames_only(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    project = PulumiProject.from_example(tmp_path, TENANTS_FROM_YAML, cwd=TENANTS_FROM_YAML)
    project.init_stack("dev", emulator)
    (project.dir / "tenants.dev.yaml").write_text("tenants:\n  - id: x\n    name: X\n    domain: [x.com]\n")

    failed = project.run("preview", check=False)
    assert failed.code != 0
    assert "tenants.dev.yaml" in failed.output and "domain" in failed.output
    assert "Program failed with an unhandled exception" in failed.output
    # The language host reports the program's error as shown (exit 32): no frames of its own.
    assert "run_program.py" not in failed.output and "runpy" not in failed.output
    assert emulator.stats()["total"] == 0
