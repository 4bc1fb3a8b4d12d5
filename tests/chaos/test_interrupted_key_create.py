"""`pulumi up` killed (SIGKILL) after Descope made an access key but before its answer, the only
place its cleartext ever is, reached the engine. No provider can adopt that key (nobody holds its
secret) or tell it from another stack's key of the same name, so the README's recovery procedure
makes the program's key anew and `pulumi-descope drift` names the orphan for deletion. Followed step
by step, as a user types it: the stack ends with one working key and nothing unmanaged."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from descope_emulator import EmulatorServer

from tests.support.cli import COMMAND_TIMEOUT, PulumiProject, changes
from tests.support.interrupt import CreateGate, kill_up_when_held, remove_empty_metadata

pytestmark = pytest.mark.e2e

PROGRAM = """\
import pulumi
import pulumi_descope_dynamic as descope

acme = descope.Tenant("acme", name="Acme", tenant_id="acme")
key = descope.AccessKey("backend", name="backend", tenant_roles={"acme": ["Tenant Admin"]},
                        opts=pulumi.ResourceOptions(depends_on=[acme]))
pulumi.export("key", key.cleartext)
pulumi.export("key_id", key.key_id)
"""
DRIFT = str(Path(sys.executable).parent / "pulumi-descope")


@pytest.fixture
def gate(emulator: EmulatorServer) -> Iterator[CreateGate]:
    gate = CreateGate(emulator.state.access_keys, "create")  # the first key create: answer held
    yield gate
    gate.let_go()


def drift(project: PulumiProject, emulator: EmulatorServer) -> subprocess.CompletedProcess[str]:
    env = {**project.env, "DESCOPE_MANAGEMENT_KEY": emulator.management_key}
    return subprocess.run(
        [DRIFT, "drift", "--cwd", str(project.dir), "--stack", "e2e", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def test_a_key_whose_create_answer_died_with_the_apply_is_named_for_deletion(
    tmp_path: Path, emulator: EmulatorServer, gate: CreateGate
) -> None:
    project = PulumiProject.create(tmp_path, PROGRAM)
    project.init_stack("e2e", emulator)
    kill_up_when_held(project, gate)
    gate.let_go()  # its answer now goes to a dead connection
    [orphan] = emulator.state.access_keys.ids()

    # README, "Recovering from an interrupted apply", as typed:
    remove_empty_metadata(project)  # a state write the kill cut short (file backend)
    project.run("cancel", "--yes")  # the lock the killed run left
    project.run("refresh", "--clear-pending-creates", "--yes")
    recovered = project.run("up", "--yes", "--config", "descope:adoptExisting=true")
    project.run("config", "rm", "descope:adoptExisting")
    assert changes(recovered).get("create") == 1  # the key, anew; the tenant was recorded or adopted

    outputs = project.outputs(show_secrets=True)
    keys = emulator.state.access_keys
    assert outputs["key_id"] != orphan
    assert keys.verify(outputs["key"]) == outputs["key_id"]  # the stack holds a working key
    assert sorted(keys.ids()) == sorted([orphan, outputs["key_id"]])

    # ... then `pulumi-descope drift` names the orphan, the only key no stack manages.
    found = drift(project, emulator)
    assert found.returncode == 1, found.stderr
    assert found.stdout, found.stderr
    report = json.loads(found.stdout)
    assert [(d["type"], d["id"]) for d in report["unmanaged"]] == [("AccessKey", orphan)]

    keys.remove(orphan)  # deleted in the Descope console, as the README says
    clean = drift(project, emulator)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    project.run("preview", "--expect-no-changes")
