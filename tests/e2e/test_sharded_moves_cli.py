"""Growing examples/tenants-sharded from 2 shards to 3 in the README's order (`pulumi stack init` of
the new stack, `python moves.py ... > moves.sh`, `sh moves.sh`, then the new `shardStacks`): the
`pulumi state move` commands carry each moving tenant (with its settings, roles, members and
children) to the new stack, and nothing else: a user naming a moving tenant's role and another
tenant's SSO configuration (which depends on wayne's role) stay in the first stack. Then no stack
wants to change anything: nothing deleted, nothing created again."""

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


# Beside the example's tenants: wayne moves from a to c (see the assertion on it below), with a role
# and a member; a project-level user holds that role; wonka (staying in a, declared after wayne) has an
# SSO configuration, which depends on every role declared before it, wayne's too.
EXTRA = """\
roles: [{name: Viewer}]
users:
  - {login_id: bruce@wayne.com, tenants: {wayne: [Butler]}}
"""
WAYNE = """\
  - id: wayne
    name: Wayne Enterprises
    roles: [{name: Butler}]
    members: [{login_id: bruce@wayne.com, roles: [Butler]}]
"""
WONKA = """\
  - id: wonka
    name: Wonka Industries
    sso:
      - sso_id: okta
        display_name: Wonka Okta
        oidc: {name: Okta, client_id: wonka-okta, auth_url: "https://wonka.example/authorize",
               token_url: "https://wonka.example/token",
               role_mappings: [{groups: [admins], role_name: Viewer}]}
        oidc_client_secret: {env: WONKA_OKTA_SECRET}
"""


def write_customers(project: PulumiProject) -> None:
    path = project.dir / "customers.yaml"
    text = path.read_text()
    for line, entry in (
        ("  - {id: wayne, name: Wayne Enterprises}\n", WAYNE),
        ("  - {id: wonka, name: Wonka Industries}\n", WONKA),
    ):
        assert line in text
        text = text.replace(line, entry)
    path.write_text(EXTRA + text)


def test_growing_k_moves_tenants_to_the_new_stack_without_deleting_them(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    connection = {
        "DESCOPE_PROJECT_ID": emulator.project_id,
        "DESCOPE_BASE_URL": emulator.url,
        "DESCOPE_MANAGEMENT_KEY": emulator.management_key,
        "WONKA_OKTA_SECRET": "wonka-okta-secret",
    }
    project = PulumiProject.from_example(tmp_path, EXAMPLE, cwd=EXAMPLE, env=connection)
    # No Redis here: one stack at a time needs no shared budget.
    set_project_config(project, shardStacks=["a", "b"], **{"descope:rateLimitStore": "memory"})
    write_customers(project)
    for stack in STACKS[:2]:
        project.run("stack", "init", stack)
    for stack in STACKS[:2]:
        project.run("up", "--yes", "--stack", stack)
    before = sorted(emulator.state.tenant_ids())
    names_before = managed_names(project, "a") | managed_names(project, "b")

    # The README's order: the new stack first, then the moves, then the new `shardStacks`.
    project.run("stack", "init", "c")
    pulumi = str(Path(pulumi_bin_dir()) / "pulumi")
    with (project.dir / "moves.sh").open("w") as script:
        subprocess.run(
            [sys.executable, "moves.py", "--from", "a,b", "--to", "a,b,c", "--pulumi", pulumi],
            cwd=project.dir,
            env=project.env,
            stdout=script,
            check=True,
        )
    lines = (project.dir / "moves.sh").read_text().splitlines()
    assert lines and all(" state move " in line and "--dest c" in line for line in lines), lines
    moved = {urn.rsplit("::", 1)[-1] for line in lines for urn in shlex.split(line) if urn.startswith("urn:")}
    subprocess.run(["sh", "moves.sh"], cwd=project.dir, env=project.env, capture_output=True, check=True)
    set_project_config(project, shardStacks=list(STACKS))

    with ThreadPoolExecutor(len(STACKS)) as pool:
        list(pool.map(lambda s: project.run("preview", "--expect-no-changes", "--stack", s), STACKS))
    assert sorted(emulator.state.tenant_ids()) == before  # nothing deleted or created again
    # The moved tenants are in c's state with their own objects, and only there; the user naming
    # wayne's role and wonka's SSO configuration stayed in a, which declares them.
    held = {stack: managed_names(project, stack) for stack in STACKS}
    assert moved and held["c"] == moved
    assert {"wayne", "tyrell"} <= moved and "bruce@wayne.com" in held["a"]
    assert [name for name in held["a"] if "okta" in name]  # wonka's SSO configuration
    assert not moved & (held["a"] | held["b"])
    assert held["a"] | held["b"] | held["c"] == names_before


def managed_names(project: PulumiProject, stack: str) -> set[str]:
    exported = json.loads(project.run("stack", "export", "--stack", stack).stdout)
    resources = exported["deployment"].get("resources") or []
    return {r["urn"].rsplit("::", 1)[-1] for r in resources if r["type"].startswith("pulumi-python:dynamic")}
