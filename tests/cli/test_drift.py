"""`pulumi-descope drift` on real stacks (plain `pulumi` commands in a project directory, a file
backend) against the emulator: one edited, one deleted and one unmanaged object per type (tenant
settings: edited and gone; they are never unmanaged), several stacks, the JSON report and the exit
codes; and it never writes, neither to Descope nor to the stacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer

from tests.support.cli import PulumiProject, pulumi_bin_dir
from tests.support.live_project import write_requests

pytestmark = pytest.mark.e2e

CLI = str(Path(sys.executable).parent / "pulumi-descope")

# One project, two stacks managing the same Descope project: "first" declares one object of each
# type (two tenants with their settings), "second" one tenant.
PROGRAM = """\
import pulumi
import pulumi_descope_dynamic as descope

if pulumi.get_stack() == "first":
    acme = descope.Tenant("acme", name="Acme", tenant_id="acme", self_provisioning_domains=["acme.com"])
    globex = descope.Tenant("globex", name="Globex", tenant_id="globex")
    read = descope.Permission("read", name="reports.read", description="Read reports")
    descope.Permission("write", name="reports.write")
    descope.Role("analyst", name="Analyst", tenant_id=acme.id, permission_names=[read.name])
    descope.Role("editor", name="Editor", description="Edits")
    descope.TenantSettings(
        "acme-settings",
        tenant_id=acme.id,
        session_settings_enabled=True,
        session_token_expiration="15m",
        refresh_token_expiration="12h",
    )
    descope.TenantSettings("globex-settings", tenant_id=globex.id, jit_disabled=True)
else:
    descope.Tenant("hooli", name="Hooli", tenant_id="hooli")
"""


def project_with(tmp_path: Path, emulator: EmulatorServer, *stacks: str) -> PulumiProject:
    """The project with `stacks` initialised (the last one selected), each pointing at `emulator`."""
    project = PulumiProject.create(tmp_path, PROGRAM)
    for stack in stacks:
        project.init_stack(stack, emulator)
    return project


def up(project: PulumiProject, stack: str) -> None:
    project.run("up", "--yes", "--stack", stack)


def state_of(project: PulumiProject, stack: str) -> str:
    return project.run("stack", "export", "--stack", stack).stdout


def drift(
    project: PulumiProject,
    emulator: EmulatorServer,
    *args: str,
    key: str | None = None,
    connection: bool = True,
) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, in the project's shell environment; `connection=False` leaves
    the project id and base URL to the stack's own config."""
    env = {
        **project.env,
        "DESCOPE_MANAGEMENT_KEY": key or emulator.management_key,
        "DESCOPE_RATE_LIMIT": "",
        "DESCOPE_PROJECT_ID": "",
        "DESCOPE_BASE_URL": "",
    }
    command = [
        CLI,
        "drift",
        "--cwd",
        str(project.dir),
        "--pulumi",
        str(Path(pulumi_bin_dir()) / "pulumi"),
        *(["--project-id", emulator.project_id, "--base-url", emulator.url] if connection else []),
        *args,
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def test_drift_reports_edited_gone_and_unmanaged_objects_of_every_type(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    project = project_with(tmp_path, emulator, "first", "second")
    up(project, "first")
    up(project, "second")

    clean = drift(project, emulator, "--stack", "first", "--stack", "second")
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.startswith(
        "No drift: 0 drifted field(s) on 0 object(s), 0 gone, 0 unmanaged; 9 managed"
    )
    # The second stack's tenant is live, and no stack but the second manages it. Its settings (and
    # those of every tenant) are part of it, never unmanaged on their own.
    alone = drift(project, emulator, "--stack", "first", "--json")
    assert alone.returncode == 1
    assert json.loads(alone.stdout)["unmanaged"] == [
        {"type": "Tenant", "id": "hooli", "label": "tenant 'hooli' (Hooli)"}
    ]

    # The console: per type, one object edited, one deleted, one created.
    emulator.state.edit_tenant("acme", name="Acme Renamed", selfProvisioningDomains=["acme.com", "acme.org"])
    emulator.state.remove_tenant("globex")
    emulator.state.create_tenant({"id": "initech", "name": "Initech"})
    # Its settings differ from a new tenant's, and no stack declares them: still not "unmanaged".
    emulator.state.update_settings({**emulator.state.load_settings("initech"), "JITDisabled": True})
    emulator.state.create_permission({"name": "console.extra"})
    emulator.state.edit_permission("reports.read", description="Read all reports")
    emulator.state.remove_permission("reports.write")
    emulator.state.edit_role("Analyst", "acme", permissionNames=["reports.read", "console.extra"])
    emulator.state.remove_role("Editor")
    emulator.state.create_role({"name": "Console Role"})
    # Settings: acme's session lifetime edited (its tenant is edited too); globex's go with globex.
    emulator.state.update_settings(
        {
            **emulator.state.load_settings("acme"),
            "sessionTokenExpiration": 30,
            "sessionTokenExpirationUnit": "minutes",
            "JITDisabled": True,
        }
    )

    state_before = state_of(project, "first"), state_of(project, "second")
    requests_before, writes_before = emulator.stats()["total"], write_requests(emulator.stats())
    found = drift(project, emulator, "--stack", "first", "--stack", "second", "--json")
    assert found.returncode == 1, found.stderr
    report: dict[str, Any] = json.loads(found.stdout)

    def drifted(type_: str, resource: str, field: str) -> tuple[Any, Any]:
        [entry] = [
            d for d in report["drifted"] if (d["type"], d["resource"], d["field"]) == (type_, resource, field)
        ]
        return entry["stack_value"], entry["live_value"]

    assert [(d["type"], d["resource"], d["field"]) for d in report["drifted"]] == [
        ("Permission", "read", "description"),
        ("Role", "analyst", "permission_names"),
        ("Tenant", "acme", "name"),
        ("Tenant", "acme", "self_provisioning_domains"),
        ("TenantSettings", "acme-settings", "session_token_expiration"),
    ]
    # Only the settings the program sets: jit_disabled changed too, but acme-settings leaves it to Descope.
    assert drifted("TenantSettings", "acme-settings", "session_token_expiration") == ("15m", "30m")
    assert drifted("Tenant", "acme", "name") == ("Acme", "Acme Renamed")
    assert drifted("Tenant", "acme", "self_provisioning_domains") == (["acme.com"], ["acme.com", "acme.org"])
    assert drifted("Permission", "read", "description") == ("Read reports", "Read all reports")
    assert drifted("Role", "analyst", "permission_names") == (
        ["reports.read"],
        ["console.extra", "reports.read"],
    )
    assert [(g["type"], g["stack"], g["resource"]) for g in report["gone"]] == [
        ("Permission", "first", "write"),
        ("Role", "first", "editor"),
        ("Tenant", "first", "globex"),
        ("TenantSettings", "first", "globex-settings"),
    ]
    # Built-ins (Tenant Admin, the system permissions) are never "unmanaged"; nor are the settings of
    # hooli and initech (every tenant has settings).
    assert [(u["type"], u["label"].split(" (")[0]) for u in report["unmanaged"]] == [
        ("Permission", "permission 'console.extra'"),
        ("Role", "role 'Console Role'"),
        ("Tenant", "tenant 'initech'"),
    ]
    assert report["unmanaged"][2]["id"] == "initech"
    assert report["counts"] == {
        "managed": 9,
        "drifted_objects": 4,
        "drifted_fields": 5,
        "gone": 4,
        "unmanaged": 3,
        "conflicts": 0,
        # One list per type, SSO configurations one per tenant (3 live tenants), tenant settings one
        # per managed TenantSettings whose tenant is live (acme's; globex is gone): 5 + 3 + 1; tenant
        # attributes, which Descope does not list, found in the one tenant list (no tenant holds a
        # value, so no attribute load); and the client's once-per-process license handshake: + 1.
        "requests": 10,
    }
    assert report["stacks"] == ["first", "second"] and report["drift"] is True

    # Read only: the list requests, no write; the stacks' state is untouched.
    assert emulator.stats()["total"] - requests_before == 10
    assert write_requests(emulator.stats()) == writes_before
    assert (state_of(project, "first"), state_of(project, "second")) == state_before

    table = drift(project, emulator, "--stack", "first", "--stack", "second")
    assert table.returncode == 1
    lines = table.stdout.splitlines()
    assert lines[0].split() == [
        "STATUS",
        "TYPE",
        "OBJECT",
        "STACK",
        "FIELD",
        "STACK",
        "VALUE",
        "LIVE",
        "VALUE",
    ]
    assert any(line.startswith("drifted") and '"Acme"' in line and '"Acme Renamed"' in line for line in lines)
    assert any(line.startswith("drifted") and "settings of tenant 'acme'" in line for line in lines)
    assert lines[-1].startswith("Drift: 5 drifted field(s) on 4 object(s), 4 gone, 3 unmanaged")


def test_drift_errors_exit_2(tmp_path: Path, emulator: EmulatorServer) -> None:
    project = project_with(tmp_path, emulator, "e2e")
    missing = drift(project, emulator, "--stack", "no-such-stack")
    assert missing.returncode == 2
    assert (
        "pulumi-descope drift: `stack export --non-interactive --stack no-such-stack` failed"
        in missing.stderr
    )

    wrong_key = drift(project, emulator, "--stack", "e2e", key="K2wrong-key")
    assert wrong_key.returncode == 2 and wrong_key.stdout == ""
    assert "management key" in wrong_key.stderr and "K2wrong-key" not in wrong_key.stderr

    unknown = drift(project, emulator, "--only", "groups")
    assert unknown.returncode == 2 and "choose from tenants,roles,permissions" in unknown.stderr
    assert "tenant_settings" in unknown.stderr


def test_drift_reads_the_project_the_stacks_configure(tmp_path: Path, emulator: EmulatorServer) -> None:
    project = project_with(tmp_path, emulator, "e2e")
    up(project, "e2e")
    # No --project-id or --base-url: the stack's descope:* config says which project (the key never
    # comes from the state: it is a secret there).
    # No --stack either: the selected stack.
    same = drift(project, emulator, connection=False)
    assert same.returncode == 0, same.stderr
    assert f"in stack(s) e2e of project {emulator.project_id}" in same.stdout

    other = drift(project, emulator, "--stack", "e2e", "--project-id", "P2other")
    assert other.returncode == 2
    assert f"stack 'e2e' manages Descope project {emulator.project_id!r}, not 'P2other'" in other.stderr
