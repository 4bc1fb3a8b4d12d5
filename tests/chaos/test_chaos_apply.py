"""Faults never lose or duplicate a tenant: `pulumi up` of 100 tenants, typed in a project directory,
through 5xx answers, connection resets, writes committed but whose answer was lost, and a quota that
forces 429s. Seeded, so a failure reproduces.

The program declares the tenants listed in tenants.json beside it (`declare`); a test rewrites that
file to change the program, as a user edits their code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer, FaultConfig, Quota

from tests.support.cli import PulumiProject, changes

pytestmark = pytest.mark.e2e

CHAOS = FaultConfig(error_rate=0.15, reset_rate=0.05, lost_response_rate=0.05)
TENANT_TYPE = "pulumi-python:dynamic/descope:Tenant"
PROGRAM = """\
import json
from pathlib import Path

import pulumi
import pulumi_descope_dynamic as descope

desired = json.loads((Path(__file__).parent / "tenants.json").read_text())
for resource_name, args in desired.items():
    descope.Tenant(resource_name, **args)
pulumi.export("count", len(desired))
"""


def desired_tenants(count: int) -> dict[str, dict[str, Any]]:
    """Half with a custom id, half with a Descope-generated one (found again by name when an
    answer is lost)."""
    desired: dict[str, dict[str, Any]] = {}
    for i in range(count):
        args: dict[str, Any] = {
            "name": f"Chaos {i:03d}",
            "self_provisioning_domains": [f"chaos{i:03d}.example.com"],
        }
        if i % 2 == 0:
            args["tenant_id"] = f"chaos-{i:03d}"
        desired[f"t{i:03d}"] = args
    return desired


def declare(project: PulumiProject, desired: dict[str, dict[str, Any]]) -> None:
    (project.dir / "tenants.json").write_text(json.dumps(desired, indent=2))


def tenants_project(
    tmp_path: Path, emulator: EmulatorServer, desired: dict[str, dict[str, Any]]
) -> PulumiProject:
    """The program of `desired` in a new project, stack "e2e" pointed at `emulator`."""
    project = PulumiProject.create(tmp_path, PROGRAM)
    declare(project, desired)
    project.init_stack("e2e", emulator)
    # Reactive only: let the server's quota push back with 429s.
    project.run("config", "set", "descope:rateLimit", "off")
    return project


def assert_converged(
    emulator: EmulatorServer, project: PulumiProject, desired: dict[str, dict[str, Any]]
) -> None:
    live = [emulator.state.get_tenant(tenant_id) for tenant_id in emulator.state.tenant_ids()]
    live_names = sorted(t["name"] for t in live if t)
    assert live_names == sorted(args["name"] for args in desired.values()), "lost or duplicated tenants"
    for args in desired.values():
        if "tenant_id" in args:
            assert emulator.state.get_tenant(args["tenant_id"]) is not None
    in_state = sorted(r["outputs"]["name"] for r in project.resources() if r["type"] == TENANT_TYPE)
    assert in_state == live_names, "stack state and Descope disagree"
    emulator.set_faults(None)
    project.run("preview", "--expect-no-changes")


def test_first_apply_of_100_tenants_through_faults_and_429s(tmp_path: Path, emulator: EmulatorServer) -> None:
    desired = desired_tenants(100)
    project = tenants_project(tmp_path, emulator, desired)
    emulator.set_quota(Quota(50, 2))
    emulator.set_faults(CHAOS, seed=20261126)

    project.run("up", "--yes", "--skip-preview")  # raises unless it succeeded

    stats = emulator.stats()
    assert stats["rate_limited"] > 0
    assert (
        stats["faults"]["error"] > 0 and stats["faults"]["reset"] > 0 and stats["faults"]["lost_response"] > 0
    )
    assert_converged(emulator, project, desired)


def test_updates_and_deletes_through_faults_and_429s(tmp_path: Path, emulator: EmulatorServer) -> None:
    desired = desired_tenants(100)
    project = tenants_project(tmp_path, emulator, desired)
    project.run("up", "--yes", "--skip-preview")

    changed: dict[str, dict[str, Any]] = {}
    for key, args in desired.items():
        index = int(key[1:])
        if 40 <= index < 70:
            continue  # 30 deleted
        changed[key] = {**args, "name": f"{args['name']} renamed"} if index < 40 else args  # 40 renamed
    changed |= {key: args for key, args in desired_tenants(110).items() if int(key[1:]) >= 100}  # 10 added
    desired = changed
    emulator.set_quota(Quota(50, 2))
    emulator.set_faults(CHAOS, seed=7)
    declare(project, desired)

    up = project.run("up", "--yes", "--skip-preview")  # raises unless it succeeded

    assert changes(up).get("delete") == 30, up.output
    assert emulator.stats()["faults"]["lost_response"] > 0
    assert_converged(emulator, project, desired)
