"""Drive the real Pulumi engine (the CLI of scripts/get-pulumi.sh) through the Automation API with
inline programs, each stack in its own temporary file backend, against an emulator.

Used only by the engine benchmarks (bench/engine_stacks.py; bench/__main__.py takes
`pulumi_bin_dir` from here): they build programs in the benchmark's process (the no-op dynamic
resource of bench/noop_provider.py, tenant stacks shared across benchmarks) and time `up` of each.
Every test types plain `pulumi` commands in project directories instead (tests/support/cli.py), as
users do. The engine starts the official dynamic-provider plugin script
(`pulumi-resource-pulumi-python`) as a separate process, exactly as for `pulumi up`; an inline
project has no `virtualenv` option, so the script runs `PULUMI_PYTHON_CMD`, set to this interpreter.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pulumi import automation as auto

from tests.support.cli import pulumi_bin_dir

REPO_ROOT = Path(__file__).resolve().parents[2]
__all__ = ["REPO_ROOT", "EngineStack", "new_stack", "pulumi_bin_dir"]
PASSPHRASE = "e2e-passphrase"


@dataclass
class EngineStack:
    """One stack of an inline program in a private file backend."""

    stack: auto.Stack
    state_dir: Path
    outputs_log: list[str] = field(default_factory=list)

    def log(self, line: str) -> None:
        self.outputs_log.append(line)

    def text(self) -> str:
        return "\n".join(self.outputs_log)

    def up(self, **kwargs: object) -> auto.UpResult:
        return self.stack.up(on_output=self.log, color="never", **kwargs)  # type: ignore[arg-type]

    def preview(self, **kwargs: object) -> auto.PreviewResult:
        return self.stack.preview(on_output=self.log, color="never", **kwargs)  # type: ignore[arg-type]

    def refresh(self, **kwargs: object) -> auto.RefreshResult:
        return self.stack.refresh(on_output=self.log, color="never", **kwargs)  # type: ignore[arg-type]

    def destroy(self, **kwargs: object) -> auto.DestroyResult:
        return self.stack.destroy(on_output=self.log, color="never", **kwargs)  # type: ignore[arg-type]

    def export_text(self, show_secrets: bool = False) -> str:
        """`pulumi stack export` exactly as a user runs it."""
        workspace = self.stack.workspace
        args = [workspace.pulumi_command.command, "stack", "export", "--stack", self.stack.name]
        if show_secrets:
            args.append("--show-secrets")
        env = {**os.environ, **workspace.env_vars}
        return subprocess.run(
            args, cwd=workspace.work_dir, env=env, check=True, capture_output=True, text=True
        ).stdout

    def set_program(self, program: Callable[[], None]) -> None:
        self.stack.workspace.program = program


def new_stack(
    program: Callable[[], None],
    root: Path,
    *,
    base_url: str,
    project_id: str,
    management_key: str,
    stack_name: str = "e2e",
    project_name: str = "descope-e2e",
    extra_config: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    key_in_config: bool = True,
) -> EngineStack:
    """`key_in_config=False` gives the key to the plugin through DESCOPE_MANAGEMENT_KEY instead of
    secret stack config (which the engine keeps, encrypted, in the default provider's state)."""
    state_dir = root / "state"
    work_dir = root / "work"
    state_dir.mkdir(parents=True, exist_ok=True)
    work_dir.mkdir(parents=True, exist_ok=True)
    bin_dir = pulumi_bin_dir()
    env_vars = {
        "PULUMI_BACKEND_URL": state_dir.as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_HOME": str(root / "pulumi-home"),
        # The plugin must run in this interpreter (it has the package installed).
        "PULUMI_PYTHON_CMD": sys.executable,
        "PATH": os.pathsep.join([bin_dir, str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        # The tests' own credentials come from stack config, never the environment.
        "DESCOPE_PROJECT_ID": "",
        "DESCOPE_MANAGEMENT_KEY": "" if key_in_config else management_key,
        "DESCOPE_BASE_URL": "",
        **(env or {}),
    }
    workspace = auto.LocalWorkspaceOptions(
        work_dir=str(work_dir),
        pulumi_command=auto.PulumiCommand(root=str(Path(bin_dir).parent), skip_version_check=True),
        project_settings=auto.ProjectSettings(name=project_name, runtime="python"),
        env_vars=env_vars,
    )
    stack = auto.create_or_select_stack(
        stack_name, project_name=project_name, program=program, opts=workspace
    )
    stack.set_config("descope:projectId", auto.ConfigValue(project_id))
    if key_in_config:
        stack.set_config("descope:managementKey", auto.ConfigValue(management_key, secret=True))
    stack.set_config("descope:baseUrl", auto.ConfigValue(base_url))
    for key, value in (extra_config or {}).items():
        stack.set_config(key, auto.ConfigValue(value))
    return EngineStack(stack, state_dir)
