"""Growing examples/tenants-sharded from 2 shards to 3 as the README says: `python moves.py` prints
the `pulumi state move` commands, they carry each moving tenant (with its settings and children) to
the new stack, and then no stack wants to change anything: no tenant deleted, none created again."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from descope_emulator import EmulatorServer

from tests.support.cli import PulumiProject, pulumi_bin_dir

pytestmark = pytest.mark.e2e

EXAMPLE = "examples/tenants-sharded"
STACKS = ("a", "b", "c")


def set_project_config(project: PulumiProject, **values: object) -> None:
    path = project.dir / "Pulumi.yaml"
    settings = yaml.safe_load(path.read_text())
    for key, value in values.items():
        if isinstance(settings["config"].get(key), dict):
            settings["config"][key]["default"] = value
        else:
            settings["config"][key] = value
    path.write_text(yaml.safe_dump(settings, sort_keys=False))


def test_growing_k_moves_tenants_to_the_new_stack_without_deleting_them(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    connection = {
        "DESCOPE_PROJECT_ID": emulator.project_id,
        "DESCOPE_BASE_URL": emulator.url,
        "DESCOPE_MANAGEMENT_KEY": emulator.management_key,
    }
    project = PulumiProject.from_example(tmp_path, EXAMPLE, cwd=EXAMPLE, env=connection)
    # No Redis here: one stack at a time needs no shared budget.
    set_project_config(project, shardStacks=["a", "b"], **{"descope:rateLimitStore": "memory"})
    for stack in STACKS:
        project.run("stack", "init", stack)
    for stack in STACKS[:2]:
        project.run("up", "--yes", "--stack", stack)
    before = sorted(emulator.state.tenant_ids())
    names_before = managed_names(project, "a") | managed_names(project, "b")
    creates = emulator.stats()["requests"]["POST /v1/mgmt/tenant/create"]

    printed = subprocess.run(
        [
            sys.executable,
            "moves.py",
            "--from",
            "a,b",
            "--to",
            "a,b,c",
            "--pulumi",
            str(Path(pulumi_bin_dir()) / "pulumi"),
        ],
        cwd=project.dir,
        env=project.env,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = printed.stdout.splitlines()
    assert lines and all(" state move " in line and "--dest c" in line for line in lines), printed.stdout
    moved = {urn.rsplit("::", 1)[-1] for line in lines for urn in shlex.split(line) if urn.startswith("urn:")}
    for line in lines:
        project.run(*shlex.split(line)[1:])
    set_project_config(project, shardStacks=list(STACKS))

    with ThreadPoolExecutor(len(STACKS)) as pool:
        list(pool.map(lambda s: project.run("preview", "--expect-no-changes", "--stack", s), STACKS))
    assert sorted(emulator.state.tenant_ids()) == before  # nothing deleted or created again
    assert emulator.stats()["requests"]["POST /v1/mgmt/tenant/create"] == creates
    assert "POST /v1/mgmt/tenant/delete" not in emulator.stats()["requests"]
    # The moved tenants are in c's state with what depends on them (settings, children), and only there.
    held = {stack: managed_names(project, stack) for stack in STACKS}
    assert moved and held["c"] == moved
    assert not moved & (held["a"] | held["b"])
    assert held["a"] | held["b"] | held["c"] == names_before


def managed_names(project: PulumiProject, stack: str) -> set[str]:
    exported = json.loads(project.run("stack", "export", "--stack", stack).stdout)
    resources = exported["deployment"].get("resources") or []
    return {r["urn"].rsplit("::", 1)[-1] for r in resources if r["type"].startswith("pulumi-python:dynamic")}
