"""Roles and permissions end to end, as a user works: `pulumi` commands in a project directory on
the real CLI against the emulator. Renames are updates in place, console edits show after a refresh
and are put back, a role deleted in the console is recreated, destroy removes everything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer

from tests.support.cli import PulumiProject, changes

pytestmark = pytest.mark.e2e

PROGRAM = """\
import json
from pathlib import Path

import pulumi
import pulumi_descope_dynamic as descope

names = json.loads((Path(__file__).parent / "names.json").read_text())
acme = descope.Tenant("acme", name="Acme", tenant_id="acme")
perm = descope.Permission("perm", name=names["perm"])
role = descope.Role("role", name=names["role"], tenant_id=acme.id, permission_names=[perm.name])
pulumi.export("role_id", role.role_id)
"""


def live_roles(emulator: EmulatorServer) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r.get("tenantId") or "", r["name"]): r for r in emulator.state.all_roles()["roles"]}


def name(project: PulumiProject, **names: str) -> None:
    (project.dir / "names.json").write_text(json.dumps(names))


def test_roles_and_permissions_rename_in_place_drift_and_destroy(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    project = PulumiProject.create(tmp_path, PROGRAM)
    name(project, perm="reports.read", role="Analyst")
    project.init_stack("e2e", emulator)
    assert changes(project.run("up", "--yes")) == {"create": 4}
    role_id = project.outputs()["role_id"]
    assert live_roles(emulator)[("acme", "Analyst")]["permissionNames"] == ["reports.read"]

    # Renames are updates in place: the role keeps its id (and its users).
    name(project, perm="reports.view", role="Report Analyst")
    assert changes(project.run("up", "--yes")) == {"update": 2, "same": 2}
    renamed = live_roles(emulator)[("acme", "Report Analyst")]
    assert renamed["id"] == role_id and renamed["permissionNames"] == ["reports.view"]

    # A permission added in the console shows after a refresh and `up` takes it away again.
    emulator.state.create_permission({"name": "console.extra"})
    emulator.state.update_role(
        {
            "id": role_id,
            "tenantId": "acme",
            "newName": "Report Analyst",
            "permissionNames": ["reports.view", "console.extra"],
        }
    )
    project.run("refresh", "--yes")
    assert changes(project.run("preview")) == {"update": 1, "same": 3}
    project.run("up", "--yes")
    assert live_roles(emulator)[("acme", "Report Analyst")]["permissionNames"] == ["reports.view"]
    project.run("preview", "--expect-no-changes")

    # A role deleted in the console is dropped by refresh and recreated by `up`.
    emulator.state.delete_role({"id": role_id, "tenantId": "acme"})
    project.run("refresh", "--yes")
    assert changes(project.run("up", "--yes")) == {"create": 1, "same": 3}
    assert ("acme", "Report Analyst") in live_roles(emulator)

    project.run("destroy", "--yes")
    assert ("acme", "Report Analyst") not in live_roles(emulator)
    assert "reports.view" not in {p["name"] for p in emulator.state.all_permissions()["permissions"]}
