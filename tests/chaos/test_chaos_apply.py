"""Faults never lose or duplicate a tenant: the real engine applying 100 tenants through 5xx answers,
connection resets, writes committed but whose answer was lost, and a quota that forces 429s.
Seeded, so a failure reproduces."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pulumi_descope_dynamic as descope
from descope_emulator import EmulatorServer, FaultConfig, Quota

from tests.support.engine import EngineStack, new_stack

CHAOS = FaultConfig(error_rate=0.15, reset_rate=0.05, lost_response_rate=0.05)


def program_for(desired: dict[str, dict[str, Any]]) -> Callable[[], None]:
    def program() -> None:
        for resource_name, args in desired.items():
            descope.Tenant(resource_name, **args)
        pulumi.export("count", len(desired))

    return program


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


def start_stack(tmp_path: Path, emulator: EmulatorServer, desired: dict[str, dict[str, Any]]) -> EngineStack:
    return new_stack(
        program_for(desired),
        tmp_path,
        base_url=emulator.url,
        project_id=emulator.project_id,
        management_key=emulator.management_key,
        # Reactive only: let the server's quota push back with 429s.
        extra_config={"descope:rateLimit": "off"},
    )


def assert_converged(
    emulator: EmulatorServer, stack: EngineStack, desired: dict[str, dict[str, Any]]
) -> None:
    live = [emulator.state.get_tenant(tenant_id) for tenant_id in emulator.state.tenant_ids()]
    live_names = sorted(t["name"] for t in live if t)
    assert live_names == sorted(args["name"] for args in desired.values()), "lost or duplicated tenants"
    for args in desired.values():
        if "tenant_id" in args:
            assert emulator.state.get_tenant(args["tenant_id"]) is not None
    deployment = stack.stack.export_stack().deployment
    in_state = sorted(
        r["outputs"]["name"]
        for r in deployment.get("resources") or []
        if r["type"].endswith("descope:Tenant")
    )
    assert in_state == live_names, "stack state and Descope disagree"
    emulator.set_faults(None)
    stack.preview(expect_no_changes=True)


def test_first_apply_of_100_tenants_through_faults_and_429s(tmp_path: Path, emulator: EmulatorServer) -> None:
    desired = desired_tenants(100)
    emulator.set_quota(Quota(50, 2))
    emulator.set_faults(CHAOS, seed=20261126)
    stack = start_stack(tmp_path, emulator, desired)

    up = stack.up()

    assert up.summary.result == "succeeded"
    stats = emulator.stats()
    assert stats["rate_limited"] > 0
    assert (
        stats["faults"]["error"] > 0 and stats["faults"]["reset"] > 0 and stats["faults"]["lost_response"] > 0
    )
    assert_converged(emulator, stack, desired)


def test_updates_and_deletes_through_faults_and_429s(tmp_path: Path, emulator: EmulatorServer) -> None:
    desired = desired_tenants(100)
    stack = start_stack(tmp_path, emulator, desired)
    stack.up()

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
    stack.set_program(program_for(desired))

    up = stack.up()

    assert up.summary.result == "succeeded"
    assert up.summary.resource_changes is not None
    assert up.summary.resource_changes.get("delete") == 30
    assert emulator.stats()["faults"]["lost_response"] > 0
    assert_converged(emulator, stack, desired)
