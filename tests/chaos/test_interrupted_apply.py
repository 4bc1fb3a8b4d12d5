"""`pulumi up` of 50 tenants killed with SIGKILL half-way through its creates, then the README's
procedure "Recovering from an interrupted apply", typed step by step: it must converge to exactly
the desired tenants, with no orphan and no duplicate."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer

from tests.chaos.test_chaos_apply import assert_converged, desired_tenants, tenants_project
from tests.support.cli import COMMAND_TIMEOUT

COUNT = 50
KILLED_AFTER = 10


def kill_marked_processes(marker: str) -> None:
    """SIGKILL every process started for this run (the CLI, plugins), found by an env marker:
    plugins may not share the CLI's process group."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"DESCOPE_TEST_RUN={marker}".encode() in environ:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(entry.name), signal.SIGKILL)


class CreateGate:
    """Where the kill lands, made certain: the first `through` tenant creates answer; the next one
    is committed but its answer held (a tenant the killed run made and never recorded); every later
    one waits before committing, until `let_go()`."""

    def __init__(self, emulator: EmulatorServer, through: int) -> None:
        self._state = emulator.state
        self._create = self._state.create_tenant
        self._lock = threading.Lock()
        self._seen = 0
        self._through = through
        self.held = threading.Event()
        self._release = threading.Event()
        self._state.create_tenant = self._gated  # type: ignore[method-assign]

    def _gated(self, body: Any) -> dict[str, Any]:
        with self._lock:
            self._seen += 1
            turn = self._seen
        if turn > self._through + 1:
            self._release.wait(COMMAND_TIMEOUT)
        made = self._create(body)
        if turn == self._through + 1:
            self.held.set()
            self._release.wait(COMMAND_TIMEOUT)
        return made

    def let_go(self) -> None:
        self._state.create_tenant = self._create  # type: ignore[method-assign]
        self._release.set()


@pytest.fixture
def gate(emulator: EmulatorServer) -> Iterator[CreateGate]:
    gate = CreateGate(emulator, through=KILLED_AFTER)
    yield gate
    gate.let_go()


def test_killed_apply_recovers_with_the_documented_procedure(
    tmp_path: Path, emulator: EmulatorServer, gate: CreateGate
) -> None:
    desired = desired_tenants(COUNT)
    project = tenants_project(tmp_path, emulator, desired)
    marker = uuid.uuid4().hex
    up = subprocess.Popen(
        ["pulumi", "up", "--yes", "--skip-preview", "--non-interactive"],
        cwd=project.dir,
        env={**project.env, "DESCOPE_TEST_RUN": marker},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert gate.held.wait(COMMAND_TIMEOUT), "the apply never got that far"
    os.killpg(up.pid, signal.SIGKILL)
    kill_marked_processes(marker)  # the plugin, wherever the engine started it
    up.wait(timeout=10)
    # Killed mid-way: the first creates answered, one committed without its answer reaching the engine.
    assert emulator.state.tenant_count() == KILLED_AFTER + 1
    # The creates still waiting are committed now, after the kill, as requests already in flight
    # would be: the recovery must take them over too.
    gate.let_go()

    # README, "Recovering from an interrupted apply", as typed (file backend: delete the stale lock):
    shutil.rmtree(project.state_dir / ".pulumi" / "locks")
    project.run("refresh", "--clear-pending-creates", "--yes")
    project.run("up", "--yes", "--config", "descope:adoptExisting=true")
    project.run("config", "rm", "descope:adoptExisting")

    assert_converged(emulator, project, desired)
