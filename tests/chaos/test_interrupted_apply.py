"""`pulumi up` of 50 tenants killed with SIGKILL half-way through its creates, then the README's
procedure "Recovering from an interrupted apply", typed step by step: it must converge to exactly
the desired tenants, with no orphan and no duplicate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from descope_emulator import EmulatorServer

from tests.chaos.test_chaos_apply import assert_converged, desired_tenants, tenants_project
from tests.support.interrupt import CreateGate, kill_up_when_held, remove_empty_metadata

pytestmark = pytest.mark.e2e

COUNT = 50
KILLED_AFTER = 10


@pytest.fixture
def gate(emulator: EmulatorServer) -> Iterator[CreateGate]:
    gate = CreateGate(emulator.state.tenants, "create", through=KILLED_AFTER)
    yield gate
    gate.let_go()


def test_killed_apply_recovers_with_the_documented_procedure(
    tmp_path: Path, emulator: EmulatorServer, gate: CreateGate
) -> None:
    desired = desired_tenants(COUNT)
    project = tenants_project(tmp_path, emulator, desired)
    kill_up_when_held(project, gate)
    # Killed mid-way: the first creates answered, one committed without its answer reaching the engine.
    assert emulator.state.tenant_count() == KILLED_AFTER + 1
    # The creates still waiting are committed now, after the kill, as requests already in flight
    # would be: the recovery must take them over too.
    gate.let_go()

    # README, "Recovering from an interrupted apply", as typed:
    remove_empty_metadata(project)  # a state write the kill cut short (file backend)
    project.run("cancel", "--yes")  # the lock the killed run left
    project.run("refresh", "--clear-pending-creates", "--yes")
    project.run("up", "--yes", "--config", "descope:adoptExisting=true")
    project.run("config", "rm", "descope:adoptExisting")

    assert_converged(emulator, project, desired)
