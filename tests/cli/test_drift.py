"""`pulumi-descope drift` on real stacks (the engine, a file backend) against the emulator: one
edited, one deleted and one unmanaged object per type, several stacks, the JSON report and the exit
codes; and it never writes, neither to Descope nor to the stacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pulumi_descope_dynamic as descope
import pytest
from descope_emulator import EmulatorServer

from tests.support.engine import EngineStack, new_stack, pulumi_bin_dir
from tests.support.live_project import write_requests

pytestmark = pytest.mark.e2e

CLI = str(Path(sys.executable).parent / "pulumi-descope")


def program() -> None:
    acme = descope.Tenant("acme", name="Acme", tenant_id="acme", self_provisioning_domains=["acme.com"])
    descope.Tenant("globex", name="Globex", tenant_id="globex")
    read = descope.Permission("read", name="reports.read", description="Read reports")
    descope.Permission("write", name="reports.write")
    descope.Role("analyst", name="Analyst", tenant_id=acme.id, permission_names=[read.name])
    descope.Role("editor", name="Editor", description="Edits")


def second_program() -> None:
    descope.Tenant("hooli", name="Hooli", tenant_id="hooli")


def drift(
    stack: EngineStack, emulator: EmulatorServer, *args: str, key: str | None = None, connection: bool = True
) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it; `connection=False` leaves the project id and base URL to the
    stack's own config."""
    workspace = stack.stack.workspace
    env = {
        **os.environ,
        **workspace.env_vars,
        "DESCOPE_MANAGEMENT_KEY": key or emulator.management_key,
        "DESCOPE_RATE_LIMIT": "",
        "DESCOPE_PROJECT_ID": "",
        "DESCOPE_BASE_URL": "",
    }
    command = [
        CLI,
        "drift",
        "--cwd",
        workspace.work_dir,
        "--pulumi",
        str(Path(pulumi_bin_dir()) / "pulumi"),
        *(["--project-id", emulator.project_id, "--base-url", emulator.url] if connection else []),
        *args,
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def test_drift_reports_edited_gone_and_unmanaged_objects_of_every_type(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    credentials = {
        "base_url": emulator.url,
        "project_id": emulator.project_id,
        "management_key": emulator.management_key,
    }
    first = new_stack(program, tmp_path, stack_name="first", **credentials)
    first.up()
    second = new_stack(second_program, tmp_path, stack_name="second", **credentials)
    second.up()

    clean = drift(first, emulator, "--stack", "first", "--stack", "second")
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.startswith(
        "No drift: 0 drifted field(s) on 0 object(s), 0 gone, 0 unmanaged; 7 managed"
    )
    # The second stack's tenant is live, and no stack but the second manages it.
    alone = drift(first, emulator, "--stack", "first", "--json")
    assert alone.returncode == 1
    assert json.loads(alone.stdout)["unmanaged"] == [
        {"type": "Tenant", "id": "hooli", "label": "tenant 'hooli' (Hooli)"}
    ]

    # The console: per type, one object edited, one deleted, one created.
    emulator.state.edit_tenant("acme", name="Acme Renamed", selfProvisioningDomains=["acme.com", "acme.org"])
    emulator.state.remove_tenant("globex")
    emulator.state.create_tenant({"id": "initech", "name": "Initech"})
    emulator.state.create_permission({"name": "console.extra"})
    emulator.state.edit_permission("reports.read", description="Read all reports")
    emulator.state.remove_permission("reports.write")
    emulator.state.edit_role("Analyst", "acme", permissionNames=["reports.read", "console.extra"])
    emulator.state.remove_role("Editor")
    emulator.state.create_role({"name": "Console Role"})

    state_before = first.export_text(), second.export_text()
    requests_before, writes_before = emulator.stats()["total"], write_requests(emulator.stats())
    found = drift(first, emulator, "--stack", "first", "--stack", "second", "--json")
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
    ]
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
    ]
    # Built-ins (Tenant Admin, the system permissions) are never "unmanaged".
    assert [(u["type"], u["label"].split(" (")[0]) for u in report["unmanaged"]] == [
        ("Permission", "permission 'console.extra'"),
        ("Role", "role 'Console Role'"),
        ("Tenant", "tenant 'initech'"),
    ]
    assert report["unmanaged"][2]["id"] == "initech"
    assert report["counts"] == {
        "managed": 7,
        "drifted_objects": 3,
        "drifted_fields": 4,
        "gone": 3,
        "unmanaged": 3,
        "requests": 7,  # one list per type, SSO configurations one per tenant (3 live tenants)
    }
    assert report["stacks"] == ["first", "second"] and report["drift"] is True

    # Read only: the list requests, no write; the stacks' state is untouched.
    assert emulator.stats()["total"] - requests_before == 7
    assert write_requests(emulator.stats()) == writes_before
    assert (first.export_text(), second.export_text()) == state_before

    table = drift(first, emulator, "--stack", "first", "--stack", "second")
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
    assert lines[-1].startswith("Drift: 4 drifted field(s) on 3 object(s), 3 gone, 3 unmanaged")


def test_drift_errors_exit_2(tmp_path: Path, emulator: EmulatorServer) -> None:
    stack = new_stack(
        second_program,
        tmp_path,
        base_url=emulator.url,
        project_id=emulator.project_id,
        management_key=emulator.management_key,
    )
    missing = drift(stack, emulator, "--stack", "no-such-stack")
    assert missing.returncode == 2
    assert (
        "pulumi-descope drift: `stack export --non-interactive --stack no-such-stack` failed"
        in missing.stderr
    )

    wrong_key = drift(stack, emulator, "--stack", "e2e", key="K2wrong-key")
    assert wrong_key.returncode == 2 and wrong_key.stdout == ""
    assert "management key" in wrong_key.stderr and "K2wrong-key" not in wrong_key.stderr

    unknown = drift(stack, emulator, "--only", "users")
    assert unknown.returncode == 2 and "choose from tenants,roles,permissions" in unknown.stderr


def test_drift_reads_the_project_the_stacks_configure(tmp_path: Path, emulator: EmulatorServer) -> None:
    stack = new_stack(
        second_program,
        tmp_path,
        base_url=emulator.url,
        project_id=emulator.project_id,
        management_key=emulator.management_key,
    )
    stack.up()
    # No --project-id or --base-url: the stack's descope:* config says which project (the key never
    # comes from the state: it is a secret there).
    # No --stack either: the selected stack.
    same = drift(stack, emulator, connection=False)
    assert same.returncode == 0, same.stderr
    assert f"in stack(s) e2e of project {emulator.project_id}" in same.stdout

    other = drift(stack, emulator, "--stack", "e2e", "--project-id", "P2other")
    assert other.returncode == 2
    assert f"stack 'e2e' manages Descope project {emulator.project_id!r}, not 'P2other'" in other.stderr
