"""Run the real Pulumi CLI the way a user does: commands typed in a project directory.

A :class:`PulumiProject` is a project directory (Pulumi.yaml + program) plus the environment a
user's shell would have: a private file backend (``PULUMI_BACKEND_URL``), a passphrase secrets
provider (``PULUMI_CONFIG_PASSPHRASE``), the cached CLI first on PATH, and no ``DESCOPE_*``
variables (credentials come from stack config unless a test says otherwise). The program runs in
this interpreter's virtualenv (Pulumi.yaml ``virtualenv:``), through the language host beside the
CLI; the dynamic provider runs through the official ``pulumi-resource-pulumi-python`` script.

Typical use in an e2e test (``emulator`` is the conftest fixture)::

    project = PulumiProject.create(tmp_path, PROGRAM_SOURCE)       # or .from_example(...)
    project.init_stack("dev", emulator)                            # stack init + config set x3
    out = project.run("up", "--yes")                               # CLIResult: .code, .output
    project.run("preview", "--expect-no-changes")
    assert project.outputs()["acme_id"] == "acme"                  # pulumi stack output --json
    failed = project.run("up", "--yes", check=False)               # a failure a test expects
    assert failed.code != 0 and "adopt=True" in failed.output

``run`` raises :class:`CLIError` (command, exit code and output) when a command fails unexpectedly.
``changes(result)`` reads the "Resources:" summary of a preview/up/refresh/destroy, e.g.
``{"create": 2, "same": 1}``. A new resource type needs nothing new here: write a program that
declares it (``create(tmp_path, source)`` or ``write_program(source)``) and run the same commands.

Only a test marked ``e2e`` may use this: ``pulumi_bin_dir``, ``cli_env`` (so every constructor) and
``run`` fail any other running test (tests/support/tiers.py), so the fast tier never starts the CLI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from tests.support.tiers import require_e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "e2e-passphrase"
LANGUAGE_HOST = REPO_ROOT / "tests" / "support" / "language_host" / "host.py"
# Every command gets this long at most: a hung CLI fails the test instead of the whole run.
COMMAND_TIMEOUT = 300

# "+ 2 to create", "~ 1 updated", "+-1 replaced", "2 changes. 1 unchanged", ...
_CHANGE_COUNT = re.compile(
    r"(\d+) (to create|created|to update|updated|to delete|deleted|to replace|replaced|unchanged)\b"
)
_CHANGE_KIND = {
    "to create": "create", "created": "create",
    "to update": "update", "updated": "update",
    "to delete": "delete", "deleted": "delete",
    "to replace": "replace", "replaced": "replace",
    "unchanged": "same",
}  # fmt: skip


class Emulator(Protocol):
    """What init_stack needs of a Descope emulator (descope_emulator.EmulatorServer has it)."""

    @property
    def url(self) -> str: ...
    @property
    def project_id(self) -> str: ...
    @property
    def management_key(self) -> str: ...


def pulumi_bin_dir() -> str:
    """The directory holding `pulumi` and its Python companions: PATH (`make test` puts it there),
    else what scripts/get-pulumi.sh prints. Only a test marked e2e may ask (tests/support/tiers.py)."""
    require_e2e("looks for the Pulumi CLI")
    found = shutil.which("pulumi")
    if found and all(
        shutil.which(tool) for tool in ("pulumi-resource-pulumi-python", "pulumi-language-python")
    ):
        return str(Path(found).parent)
    result = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "get-pulumi.sh")],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PULUMI_DESCOPE_PYTHON": sys.executable},
    )
    return result.stdout.strip().splitlines()[-1]


def cli_env(state_dir: Path, pulumi_home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a user's shell with a local file backend, for commands run by tests."""
    bin_dir = pulumi_bin_dir()
    env = {
        **os.environ,
        "PULUMI_BACKEND_URL": state_dir.as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_HOME": str(pulumi_home),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_SKIP_CONFIRMATIONS": "true",
        "NO_COLOR": "1",
        # The launcher beside the CLI runs the test-only language host of this checkout.
        "PULUMI_TEST_LANGUAGE_HOST": str(LANGUAGE_HOST),
        "PULUMI_TEST_LANGUAGE_HOST_PYTHON": sys.executable,
        "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")]),
    }
    for name in ("DESCOPE_PROJECT_ID", "DESCOPE_MANAGEMENT_KEY", "DESCOPE_BASE_URL", "DESCOPE_BASE_URI"):
        env.pop(name, None)
    env.update(extra or {})  # last: a test may set DESCOPE_* on purpose
    return env


def pulumi_yaml(name: str, virtualenv: str | Path) -> str:
    return (
        f"name: {name}\n"
        "runtime:\n"
        "  name: python\n"
        "  options:\n"
        "    toolchain: pip\n"
        f"    virtualenv: {virtualenv}\n"
    )


def changes(result: CLIResult) -> dict[str, int]:
    """The "Resources:" summary of a command's output: {"create": 2, "same": 1}."""
    summary = result.output[result.output.rfind("Resources:") :]
    found: dict[str, int] = {}
    for line in summary.splitlines()[1:]:
        if line.strip() and not line.startswith(" "):
            break  # the end of the summary block
        for count, what in _CHANGE_COUNT.findall(line):
            kind = _CHANGE_KIND[what]
            found[kind] = found.get(kind, 0) + int(count)
    return found


@dataclass(frozen=True)
class CLIResult:
    command: list[str]
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        """What the user sees: stdout, then stderr."""
        return self.stdout + self.stderr


class CLIError(AssertionError):
    def __init__(self, result: CLIResult) -> None:
        super().__init__(f"`{' '.join(result.command)}` exited with {result.code}:\n{result.output[-6000:]}")
        self.result = result


@dataclass
class PulumiProject:
    """A project directory and the shell environment its commands run in."""

    dir: Path
    env: dict[str, str]
    state_dir: Path
    log: list[CLIResult] = field(default_factory=list)

    @classmethod
    def at(cls, project_dir: Path, scratch: Path, env: dict[str, str] | None = None) -> PulumiProject:
        """Commands in an existing project directory; backend and PULUMI_HOME under `scratch`."""
        state_dir = scratch / "state"
        state_dir.mkdir(parents=True, exist_ok=True)
        return cls(project_dir, cli_env(state_dir, scratch / "pulumi-home", env), state_dir)

    @classmethod
    def create(
        cls, root: Path, program: str, *, name: str = "descope-e2e", env: dict[str, str] | None = None
    ) -> PulumiProject:
        """A new project in `root`/project: Pulumi.yaml (this interpreter's virtualenv) and __main__.py."""
        project_dir = root / "project"
        project_dir.mkdir(parents=True)
        (project_dir / "Pulumi.yaml").write_text(pulumi_yaml(name, sys.prefix))
        project = cls.at(project_dir, root, env)
        project.write_program(program)
        return project

    @classmethod
    def from_example(
        cls, root: Path, *paths: str, cwd: str, env: dict[str, str] | None = None
    ) -> PulumiProject:
        """A copy of repository files (`paths`, relative to the repository root) under `root`/repo, with
        `root`/repo/.venv pointing at this interpreter's virtualenv, so the Pulumi.yaml files work
        unchanged; commands run in `cwd` (relative to the copy's root). The checkout stays clean."""
        copy = root / "repo"
        for relative in paths:
            source = REPO_ROOT / relative
            if source.is_dir():
                shutil.copytree(
                    source, copy / relative, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml")
                )
            else:
                (copy / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy / relative)
        (copy / ".venv").symlink_to(sys.prefix, target_is_directory=True)
        return cls.at(copy / cwd, root, env)

    def write_program(self, source: str) -> None:
        (self.dir / "__main__.py").write_text(source)

    def run(self, *args: str, check: bool = True, stdin: str | None = None) -> CLIResult:
        """`pulumi ARGS...` in the project directory (`--non-interactive` added)."""
        require_e2e(f"runs `pulumi {' '.join(args[:2])}`")
        command = ["pulumi", *args, "--non-interactive"]
        started = time.monotonic()
        completed = subprocess.run(
            command,
            cwd=self.dir,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
        result = CLIResult(
            command, completed.returncode, completed.stdout, completed.stderr, time.monotonic() - started
        )
        self.log.append(result)
        if check and result.code != 0:
            raise CLIError(result)
        return result

    def init_stack(self, stack: str, emulator: Emulator, *, key_in_config: bool = True) -> None:
        """`pulumi stack init STACK` and the stack config that points it at `emulator`."""
        self.run("stack", "init", stack)
        self.run("config", "set", "descope:baseUrl", emulator.url)
        self.run("config", "set", "descope:projectId", emulator.project_id)
        if key_in_config:
            self.run("config", "set", "--secret", "descope:managementKey", emulator.management_key)

    def outputs(self, *, show_secrets: bool = False) -> dict[str, Any]:
        """`pulumi stack output --json`: a secret output reads "[secret]" unless `show_secrets`
        (`--show-secrets`, which a test uses where it needs a secret's value)."""
        reveal = ["--show-secrets"] if show_secrets else []
        parsed: dict[str, Any] = json.loads(self.run("stack", "output", "--json", *reveal).stdout)
        return parsed

    def export(self, *, show_secrets: bool = False) -> str:
        """`pulumi stack export` (plain text, as a user would scan it)."""
        return self.run("stack", "export", *(["--show-secrets"] if show_secrets else [])).stdout

    def resources(self) -> list[dict[str, Any]]:
        """The resources of the stack's state (`pulumi stack export`)."""
        found: list[dict[str, Any]] = json.loads(self.export())["deployment"].get("resources") or []
        return found

    def plain_output(self) -> str:
        """The output of every command so far except those run with --show-secrets (which print
        secrets on purpose): the text a secret scan reads for what the CLI and plugins printed."""
        return "\n".join(r.output for r in self.log if "--show-secrets" not in r.command)

    def transcript(self) -> str:
        """Every command run so far with its output, for failure messages."""
        return "\n".join(
            f"$ {' '.join(r.command)}  (exit {r.code}, {r.seconds:.1f} s)\n{r.output}" for r in self.log
        )
