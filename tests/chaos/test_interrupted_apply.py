"""An apply killed with SIGKILL half-way through creating 50 tenants, then the README's procedure
"Recovering from an interrupted apply", step by step: it must converge to exactly the desired
tenants, with no orphan and no duplicate."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from descope_emulator import EmulatorServer, FaultConfig
from pulumi import automation as auto

from tests.chaos.test_chaos_apply import assert_converged, desired_tenants, program_for
from tests.support.engine import REPO_ROOT, new_stack

COUNT = 50


def kill_marked_processes(marker: str) -> None:
    """SIGKILL every process started for this run (the CLI, plugins), found by an env marker:
    plugins may not share the runner's process group."""
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
    # Slow answers, so the kill lands while creates are in flight.
    emulator.set_faults(FaultConfig(slow_rate=1.0, slow_seconds=0.15), seed=1)
    marker = uuid.uuid4().hex
    runner = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.chaos.interrupted_runner",
            str(tmp_path),
            emulator.url,
            emulator.project_id,
            emulator.management_key,
            str(COUNT),
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "DESCOPE_TEST_RUN": marker},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while emulator.state.tenant_count() < 10 and time.monotonic() < deadline and runner.poll() is None:
        time.sleep(0.05)
    os.killpg(runner.pid, signal.SIGKILL)
    kill_marked_processes(marker)
    runner.wait(timeout=10)
    created_before_kill = emulator.state.tenant_count()
    assert 10 <= created_before_kill < COUNT, "the kill must land mid-way"
    emulator.set_faults(None)

    desired = desired_tenants(COUNT)
    stack = new_stack(
        program_for(desired),
        tmp_path,
        base_url=emulator.url,
        project_id=emulator.project_id,
        management_key=emulator.management_key,
        extra_config={"descope:rateLimit": "off"},
    )
    # README, "Recovering from an interrupted apply":
    # 1. Release the lock the killed run left (file backend: delete it; Pulumi Cloud: `pulumi cancel`).
    shutil.rmtree(stack.state_dir / ".pulumi" / "locks")
    # 2. Forget the operations that never reported back.
    stack.refresh(clear_pending_creates=True)
    # 3. Apply with adoption on, so tenants the killed run created are taken over, not duplicated.
    stack.stack.set_config("descope:adoptExisting", auto.ConfigValue("true"))
    stack.up()
    # 4. Turn adoption back off.
    stack.stack.remove_config("descope:adoptExisting")

    assert_converged(emulator, stack, desired)
