"""Nothing a program declares is lost, and left out means what the docs say (issue 27), on the real
Pulumi CLI against the emulator: a cascade that would take a declared child stops before deleting
anything; a role whose tenant_id is removed becomes a project role; the built-in "Tenant Admin" role
is kept without any update and a program that would change it fails at preview."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer

from tests.support.cli import CLIResult, PulumiProject, changes

pytestmark = pytest.mark.e2e

IMPORTS = "import pulumi\nimport pulumi_descope_dynamic as descope\n\n"
UP = ("up", "--yes", "--skip-preview")


@pytest.fixture
def project(tmp_path: Path, emulator: EmulatorServer) -> PulumiProject:
    created = PulumiProject.create(tmp_path, IMPORTS)
    created.init_stack("e2e", emulator)
    return created


def said(result: CLIResult) -> str:
    return " ".join(result.output.split())


def up(project: PulumiProject, source: str) -> CLIResult:
    project.write_program(IMPORTS + source)
    return project.run(*UP)


def live_tenants(emulator: EmulatorServer) -> dict[str, str]:
    tenants = (emulator.state.get_tenant(t) for t in emulator.state.tenant_ids())
    return {t["id"]: t["parent"] for t in tenants if t}


def state_names(project: PulumiProject) -> list[str]:
    return sorted(r["urn"].rsplit("::", 1)[1] for r in project.resources() if "descope:" in r["type"])


def live_roles(emulator: EmulatorServer) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r.get("tenantId") or "", r["name"]): r for r in emulator.state.all_roles()["roles"]}


def test_removing_a_cascade_parent_whose_child_is_still_declared_deletes_nothing(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    parent = "parent = descope.Tenant('parent', name='Parent', tenant_id='parent', cascade_delete=True)\n"
    up(
        project,
        parent + "descope.Tenant('child', name='Child', tenant_id='child', parent_tenant_id='parent', "
        "opts=pulumi.ResourceOptions(depends_on=[parent]))\n",
    )
    assert live_tenants(emulator) == {"parent": "", "child": "parent"}

    # The parent leaves the program, the child (a literal parent id) stays: the cascade would delete
    # a tenant the program declares, so the delete stops before anything is deleted.
    child_only = "descope.Tenant('child', name='Child', tenant_id='child', parent_tenant_id='parent')\n"
    project.write_program(IMPORTS + child_only)
    result = project.run(*UP, check=False)
    assert result.code != 0, project.transcript()
    message = said(result)
    assert "tenant 'parent' (Parent) was not deleted" in message and "'child' (Child)" in message, message
    assert "Nothing was deleted" in message
    assert "remove those tenants from the program too" in message and "move them to another parent" in message
    assert live_tenants(emulator) == {"parent": "", "child": "parent"}
    assert state_names(project) == ["child", "parent"]

    # The first way forward: remove the child from the program too.
    project.write_program(IMPORTS + "pulumi.export('nothing', 'declared')\n")
    project.run(*UP)
    assert live_tenants(emulator) == {}
    assert state_names(project) == []
    project.run("preview", "--expect-no-changes")


def test_removing_a_cascade_parent_after_moving_its_declared_child_keeps_the_child(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    # The other way forward, in one `up`: the child moves to another parent (a replacement, before
    # the removed parent is deleted), so the cascade takes nothing the program declares.
    parent = "parent = descope.Tenant('parent', name='Parent', tenant_id='parent', cascade_delete=True)\n"
    other = "other = descope.Tenant('other', name='Other', tenant_id='other')\n"
    up(
        project,
        parent
        + other
        + "descope.Tenant('child', name='Child', tenant_id='child', parent_tenant_id=parent.id)\n",
    )
    up(
        project,
        other + "descope.Tenant('child', name='Child', tenant_id='child', parent_tenant_id=other.id)\n",
    )
    assert live_tenants(emulator) == {"other": "", "child": "other"}
    project.run("preview", "--expect-no-changes")


def test_removing_tenant_id_from_a_role_makes_it_a_project_role(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    acme = "acme = descope.Tenant('acme', name='Acme', tenant_id='acme')\n"
    up(project, acme + "descope.Role('auditor', name='Auditor', tenant_id=acme.id)\n")
    assert ("acme", "Auditor") in live_roles(emulator)

    # Left out, tenant_id means the project scope: the scope is the role's identity, so it is replaced.
    project.write_program(IMPORTS + acme + "descope.Role('auditor', name='Auditor')\n")
    assert changes(project.run("preview")).get("replace") == 1
    assert changes(project.run(*UP)).get("replace") == 1
    roles = live_roles(emulator)
    assert ("", "Auditor") in roles and ("acme", "Auditor") not in roles
    project.run("preview", "--expect-no-changes")


def test_the_built_in_role_is_kept_without_an_update_and_a_change_fails_at_preview(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    before = live_roles(emulator)[("", "Tenant Admin")]
    up(project, "descope.Role('tenant-admin', name='Tenant Admin', adopt=True)\n")
    writes = [r["path"] for r in emulator.requests() if r["path"].startswith("/v1/mgmt/role/update")]
    assert writes == []
    assert live_roles(emulator)[("", "Tenant Admin")] == before
    project.run("preview", "--expect-no-changes")

    # A program that would change it fails at preview, naming the role and the input, before any request.
    project.write_program(
        IMPORTS
        + "descope.Role('tenant-admin', name='Tenant Admin', adopt=True, description='Runs a tenant')\n"
    )
    seen = emulator.stats()["total"]
    result = project.run("preview", check=False)
    assert result.code != 0, project.transcript()
    message = said(result)
    assert "'Tenant Admin' is a built-in Descope role" in message and "remove description" in message, message
    assert emulator.stats()["total"] == seen
    assert live_roles(emulator)[("", "Tenant Admin")] == before

    # Removed from the program, it stays in Descope.
    project.write_program(IMPORTS + "pulumi.export('nothing', 'declared')\n")
    project.run(*UP)
    assert live_roles(emulator)[("", "Tenant Admin")] == before


NEW = {"brandNew": "kept", "brandNewObject": {"nested": [1, 2]}}


def fields_program(suffix: str) -> str:
    """A permission, a role, an OIDC configuration and an access key; `suffix` changes a value of each."""
    return (
        "acme = descope.Tenant('acme', name='Acme', tenant_id='acme')\n"
        f"perm = descope.Permission('perm', name='reports.read', description='Read {suffix}')\n"
        f"descope.Role('role', name='Analyst', description='Analyst {suffix}',\n"
        "    permission_names=[perm.name])\n"
        "descope.SsoConfiguration('sso', tenant_id=acme.tenant_id, display_name='Acme Okta',\n"
        f"    oidc=descope.OidcArgs(name='Okta {suffix}', client_id='0oa1', issuer='https://acme.okta.com'))\n"
        f"descope.AccessKey('key', name='ci', description='CI {suffix}')\n"
    )


def test_a_field_newer_than_this_code_survives_every_update(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    up(project, fields_program("v1"))
    state = emulator.state
    # Descope adds a field (here written by the console, which knows it) to each object.
    permission = {"name": "reports.read", "newName": "reports.read", "description": "Read v1"}
    state.update_permission({**permission, **NEW})
    role = live_roles(emulator)[("", "Analyst")]
    state.update_role({**role, "newName": "Analyst", **NEW})
    oidc = state.sso.load("acme", "default_ssoid")["oidc"]
    state.sso.configure_oidc({"tenantId": "acme", "settings": {**oidc, **NEW}})
    (key,) = state.access_keys.search({})["keys"]
    state.access_keys.update({"id": key["id"], "name": "ci", **NEW})

    # The program changes a value of each: every write keeps the field it does not know.
    project.write_program(IMPORTS + fields_program("v2"))
    assert changes(project.run(*UP)).get("update") == 4
    permission = next(p for p in state.all_permissions()["permissions"] if p["name"] == "reports.read")
    role = live_roles(emulator)[("", "Analyst")]
    oidc = state.sso.load("acme", "default_ssoid")["oidc"]
    key = state.access_keys.search({})["keys"][0]
    assert (permission["description"], role["description"]) == ("Read v2", "Analyst v2")
    assert (oidc["name"], key["description"]) == ("Okta v2", "CI v2")
    for name, live in (("permission", permission), ("role", role), ("SSO configuration", oidc), ("key", key)):
        assert {k: live.get(k) for k in NEW} == NEW, f"the {name} lost a field it does not know: {live}"
    project.run("refresh", "--yes", "--skip-preview")
    project.run("preview", "--expect-no-changes")
