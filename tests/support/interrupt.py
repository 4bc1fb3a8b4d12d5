"""Kill a `pulumi up` at a known point: after Descope committed a create whose answer never reached
the engine, as when a CI runner dies mid-apply.

    gate = CreateGate(emulator.state.tenants, "create", through=10)   # a handler of an emulator area
    kill_up_when_held(project, gate)    # `pulumi up` in the project, SIGKILLed once the gate holds
    gate.let_go()                       # creates still waiting commit now, as requests in flight would

    interrupted = interrupt_up_when_held(project, gate)  # Ctrl-C instead: the CLI stops by itself
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from tests.support.cli import COMMAND_TIMEOUT, CLIResult, PulumiProject
from tests.support.tiers import require_e2e


class CreateGate:
    """Wraps one create method of the emulator's state: the first `through` calls answer; the next
    one is committed but its answer held (an object the killed run made and never recorded); every
    later one waits before committing. `let_go()` restores the method and releases them all."""

    def __init__(self, owner: Any, method: str, *, through: int = 0) -> None:
        self._owner, self._method = owner, method
        self._create = getattr(owner, method)
        self._lock = threading.Lock()
        self._calls = 0
        self._through = through
        self.held = threading.Event()
        self._release = threading.Event()
        setattr(owner, method, self._gated)

    def _gated(self, body: Any) -> Any:
        with self._lock:
            self._calls += 1
            turn = self._calls
        if turn > self._through + 1:
            self._release.wait(COMMAND_TIMEOUT)
        made = self._create(body)
        if turn == self._through + 1:
            self.held.set()
            self._release.wait(COMMAND_TIMEOUT)
        return made

    def let_go(self) -> None:
        setattr(self._owner, self._method, self._create)
        self._release.set()


def kill_marked_processes(marker: str) -> None:
    """SIGKILL every process started for this run (the CLI, plugins, the language host), found by an
    env marker: plugins may not share the CLI's process group."""
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


def kill_up_when_held(project: PulumiProject, gate: CreateGate) -> None:
    """`pulumi up --yes --skip-preview` in the project, SIGKILLed with everything it started as soon
    as the gate holds a committed create's answer."""
    require_e2e("runs `pulumi up`")
    marker = uuid.uuid4().hex
    up = subprocess.Popen(
        ["pulumi", "up", "--yes", "--skip-preview", "--non-interactive"],
        cwd=project.dir,
        env={**project.env, "DESCOPE_TEST_RUN": marker},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert gate.held.wait(COMMAND_TIMEOUT), "the apply never reached the gated create"
    finally:
        os.killpg(up.pid, signal.SIGKILL)
        kill_marked_processes(marker)
        up.wait(timeout=10)


# What the CLI prints once it has taken a SIGINT (Ctrl-C) and started cancelling.
CANCELLING = "received; cancelling"


def interrupt_up_when_held(project: PulumiProject, gate: CreateGate) -> CLIResult:
    """`pulumi up --yes --skip-preview` in the project, interrupted as Ctrl-C does (SIGINT to the
    CLI's process group; the CLI starts its plugins in groups of their own) as soon as the gate
    holds a committed create's answer. Once the CLI says it is cancelling, the gate lets go (the
    creates in flight answer, as they would) and the CLI ends by itself: its result. If it does not
    end in time, it is SIGKILLed with everything it started and the test fails."""
    require_e2e("runs `pulumi up`")
    marker = uuid.uuid4().hex
    command = ["pulumi", "up", "--yes", "--skip-preview", "--non-interactive"]
    started = time.monotonic()
    up = subprocess.Popen(
        command,
        cwd=project.dir,
        env={**project.env, "DESCOPE_TEST_RUN": marker},
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    cancelling = threading.Event()

    def read() -> None:
        assert up.stdout is not None
        for line in up.stdout:
            lines.append(line)
            if CANCELLING in line:
                cancelling.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert gate.held.wait(COMMAND_TIMEOUT), "the apply never reached the gated create"
        os.killpg(up.pid, signal.SIGINT)
        assert cancelling.wait(COMMAND_TIMEOUT), "the CLI never said it was cancelling:\n" + "".join(lines)
        gate.let_go()
        code = up.wait(timeout=COMMAND_TIMEOUT)
    finally:
        if up.poll() is None:
            os.killpg(up.pid, signal.SIGKILL)
            kill_marked_processes(marker)
            up.wait(timeout=10)
    reader.join(timeout=10)
    result = CLIResult(command, code, "".join(lines), "", time.monotonic() - started)
    project.log.append(result)
    return result


def remove_empty_metadata(project: PulumiProject) -> None:
    """The README's first recovery step for a file backend, as typed:
    `find <dir>/.pulumi -name '*.attrs' -empty -delete`. The backend rewrites the metadata file beside
    a state file in place (gocloud fileblob), so a SIGKILL in that moment leaves it empty and every
    command then fails with "failed to load checkpoint: EOF"."""
    pulumi_dir = project.state_dir / ".pulumi"
    subprocess.run(["find", str(pulumi_dir), "-name", "*.attrs", "-empty", "-delete"], check=True)
