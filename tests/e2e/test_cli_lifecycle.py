"""End to end as a user works: `pulumi` commands typed in a project directory, the real CLI, the
official dynamic-provider plugin script, a file backend, against the emulator.

The program declares the tenants listed in tenants.json beside it; a test edits that file between
commands to change the program, as a user edits their code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer, Quota

from tests.support.cli import PulumiProject, changes

pytestmark = pytest.mark.e2e

TENANT_TYPE = "pulumi-python:dynamic/descope:Tenant"
PROGRAM = """\
import json
from pathlib import Path

import pulumi
import pulumi_descope_dynamic as descope

for name, args in json.loads((Path(__file__).parent / "tenants.json").read_text()).items():
    pulumi.export(name, descope.Tenant(name, **args).tenant_id)
"""


def tenants_project(
    tmp_path: Path,
    emulator: EmulatorServer,
    desired: dict[str, dict[str, Any]],
    *,
    key_in_config: bool = True,
    env: dict[str, str] | None = None,
) -> PulumiProject:
    project = PulumiProject.create(tmp_path, PROGRAM, env=env)
    declare(project, desired)
    project.init_stack("e2e", emulator, key_in_config=key_in_config)
    return project


def declare(project: PulumiProject, desired: dict[str, dict[str, Any]]) -> None:
    (project.dir / "tenants.json").write_text(json.dumps(desired, indent=2))


def tenant_ids(emulator: EmulatorServer) -> list[str]:
    return sorted(emulator.state.tenant_ids())


def tenants_in_state(project: PulumiProject) -> list[str]:
    return sorted(r["urn"].rsplit("::", 1)[1] for r in project.resources() if r["type"] == TENANT_TYPE)


def test_first_up_noop_update_replace_destroy_and_where_the_key_is(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    desired: dict[str, dict[str, Any]] = {
        "acme": {"name": "Acme", "tenant_id": "acme", "self_provisioning_domains": ["ACME.com"]},
        "gen": {"name": "Generated"},
    }
    project = tenants_project(tmp_path, emulator, desired)

    up = project.run("up", "--yes")
    assert changes(up) == {"create": 3}  # the stack and two tenants
    generated = project.outputs()["gen"]
    assert tenant_ids(emulator) == sorted(["acme", generated])
    assert emulator.state.get_tenant("acme")["selfProvisioningDomains"] == ["acme.com"]
    created_time = emulator.state.get_tenant("acme")["createdTime"]
    project.run("preview", "--expect-no-changes")  # an unchanged program: no changes
    # The key, set with `config set --secret`, is in no output and in no plain `stack export`;
    # --show-secrets decrypts it only where the engine keeps every provider's config (the default
    # provider's inputs), not in any Tenant, pickled provider blob or output.
    key = emulator.management_key
    assert key not in up.output and key not in project.export()
    revealed = json.loads(project.export(show_secrets=True))["deployment"]["resources"]
    assert [r["type"] for r in revealed if key in json.dumps(r)] == ["pulumi:providers:pulumi-python"]

    desired["acme"]["name"] = "Acme Corp"
    declare(project, desired)
    assert changes(project.run("up", "--yes")) == {"update": 1, "same": 2}
    assert emulator.state.get_tenant("acme")["name"] == "Acme Corp"
    assert emulator.state.get_tenant("acme")["createdTime"] == created_time  # in place
    assert project.outputs()["gen"] == generated  # a generated id stays across runs

    desired["acme"]["tenant_id"] = "acme-corp"
    declare(project, desired)
    assert changes(project.run("preview")) == {"replace": 1, "same": 2}
    project.run("up", "--yes")
    assert tenant_ids(emulator) == sorted(["acme-corp", generated])  # the old one went first
    project.run("preview", "--expect-no-changes")

    assert changes(project.run("destroy", "--yes")) == {"delete": 3}
    assert tenant_ids(emulator) == []
    assert tenants_in_state(project) == []


def test_console_edits_refresh_preview_and_restore(tmp_path: Path, emulator: EmulatorServer) -> None:
    desired: dict[str, dict[str, Any]] = {
        "acme": {"name": "Acme", "tenant_id": "acme", "custom_attributes": {"plan": "gold"}},
        "globex": {"name": "Globex", "tenant_id": "globex"},
    }
    project = tenants_project(tmp_path, emulator, desired)
    project.run("up", "--yes")
    emulator.state.edit_tenant("acme", name="Renamed in the console")
    emulator.state.remove_tenant("globex")

    # Drift detection as in CI: fails while Descope differs from the state.
    drift = project.run("preview", "--refresh", "--expect-no-changes", check=False)
    assert drift.code != 0, drift.output

    refresh = project.run("refresh", "--yes")
    assert changes(refresh) == {"update": 1, "delete": 1, "same": 1}, refresh.output
    assert "no longer exists in Descope" in refresh.output
    assert tenants_in_state(project) == ["acme"]
    preview = project.run("preview", "--diff")
    assert changes(preview) == {"create": 1, "update": 1, "same": 1}
    changed = [line.strip() for line in preview.stdout.splitlines() if line.strip().startswith("~ ")]
    assert any(line.startswith("~ name") for line in changed), preview.stdout
    assert not any("custom_attributes" in line for line in changed), preview.stdout

    project.run("up", "--yes")
    assert emulator.state.get_tenant("acme")["name"] == "Acme"
    assert tenant_ids(emulator) == ["acme", "globex"]
    project.run("preview", "--refresh", "--expect-no-changes")


def test_adoption_of_an_existing_tenant(tmp_path: Path, emulator: EmulatorServer) -> None:
    emulator.state.create_tenant({"id": "legacy", "name": "Legacy Inc", "federatedAppIds": ["app-1"]})
    desired: dict[str, dict[str, Any]] = {"legacy": {"name": "Legacy Incorporated", "tenant_id": "legacy"}}
    project = tenants_project(tmp_path, emulator, desired)

    refused = project.run("up", "--yes", check=False)
    assert refused.code != 0
    assert "adopt=True" in refused.output
    assert tenant_ids(emulator) == ["legacy"]

    desired["legacy"]["adopt"] = True
    declare(project, desired)
    project.run("up", "--yes")
    live = emulator.state.get_tenant("legacy")
    assert live["name"] == "Legacy Incorporated"
    assert live["federatedAppIds"] == ["app-1"]  # not managed by the program: kept
    assert tenant_ids(emulator) == ["legacy"]
    project.run("preview", "--expect-no-changes")


def test_bad_input_fails_preview_naming_resource_and_field_without_calling_descope(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    desired = {
        "broken": {"name": "Broken", "self_provisioning_domains": ["not a domain"], "role_inheritance": "all"}
    }
    project = tenants_project(tmp_path, emulator, desired)
    failed = project.run("preview", check=False)
    assert failed.code != 0
    assert "broken" in failed.output
    assert "self_provisioning_domains" in failed.output and "role_inheritance" in failed.output
    assert emulator.stats()["total"] == 0


def test_key_from_the_environment_never_reaches_state_or_output(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    project = tenants_project(
        tmp_path,
        emulator,
        {"acme": {"name": "Acme", "tenant_id": "acme"}},
        key_in_config=False,
        env={"DESCOPE_MANAGEMENT_KEY": emulator.management_key},
    )
    up = project.run("up", "--yes")
    assert tenant_ids(emulator) == ["acme"]
    assert emulator.management_key not in up.output
    for show_secrets in (False, True):
        assert emulator.management_key not in project.export(show_secrets=show_secrets)


def test_sixty_tenants_through_a_quota_that_forces_429s(tmp_path: Path, emulator: EmulatorServer) -> None:
    # Tight enough that even a slow, loaded machine outruns it: 60 creates need at least 18 s here.
    emulator.set_quota(Quota(10, 3))
    desired = {f"t{i:02d}": {"name": f"Tenant {i:02d}", "tenant_id": f"t{i:02d}"} for i in range(60)}
    project = tenants_project(tmp_path, emulator, desired)
    project.run("config", "set", "descope:rateLimit", "off")
    assert changes(project.run("up", "--yes")) == {"create": 61}
    assert emulator.stats()["rate_limited"] > 0  # the quota really pushed back
    assert tenant_ids(emulator) == sorted(desired)
    assert len(tenants_in_state(project)) == 60
