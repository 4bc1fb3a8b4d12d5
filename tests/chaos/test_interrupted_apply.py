"""`pulumi up` of 50 tenants killed with SIGKILL half-way through its creates, then the README's
procedure "Recovering from an interrupted apply", typed step by step: it must converge to exactly
the desired tenants, with no orphan and no duplicate."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

from descope_emulator import EmulatorServer, FaultConfig

from tests.chaos.test_chaos_apply import assert_converged, desired_tenants, tenants_project

COUNT = 50


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


def test_killed_apply_recovers_with_the_documented_procedure(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    desired = desired_tenants(COUNT)
    project = tenants_project(tmp_path, emulator, desired)
    # Slow answers, so the kill lands while creates are in flight.
    emulator.set_faults(FaultConfig(slow_rate=1.0, slow_seconds=0.15), seed=1)
    marker = uuid.uuid4().hex
    up = subprocess.Popen(
        ["pulumi", "up", "--yes", "--skip-preview", "--non-interactive"],
        cwd=project.dir,
        env={**project.env, "DESCOPE_TEST_RUN": marker},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while emulator.state.tenant_count() < 10 and time.monotonic() < deadline and up.poll() is None:
        time.sleep(0.05)
    os.killpg(up.pid, signal.SIGKILL)
    kill_marked_processes(marker)  # the plugin, wherever the engine started it
    up.wait(timeout=10)
    created_before_kill = emulator.state.tenant_count()
    assert 10 <= created_before_kill < COUNT, "the kill must land mid-way"
    emulator.set_faults(None)

    # README, "Recovering from an interrupted apply", as typed (file backend: delete the stale lock):
    shutil.rmtree(project.state_dir / ".pulumi" / "locks")
    project.run("refresh", "--clear-pending-creates", "--yes")
    project.run("up", "--yes", "--config", "descope:adoptExisting=true")
    project.run("config", "rm", "descope:adoptExisting")

    assert_converged(emulator, project, desired)
