"""How tests/compat/fixtures/v0_1_0_quickstart/ was produced: the quickstart of release 0.1.0 deployed by
the 0.1.0 code on the real Pulumi CLI, then `pulumi stack export`. Run once; kept to document the
fixture, never run by the tests (they must not need the old code).

    git worktree add /tmp/v010 5bc0919          # 0.1.0 (or: git archive 5bc0919 | tar -x -C /tmp/v010)
    python3 -m venv /tmp/v010/.venv && /tmp/v010/.venv/bin/pip install -e '/tmp/v010[test]'
    PATH="$(make pulumi-cli):$PATH" /tmp/v010/.venv/bin/python tests/compat/make_v0_1_0_state.py /tmp/v010

It does what 0.1.0's `make demo` (examples/demo.py) did, with fixed names and a fixed passphrase:
start 0.1.0's emulator (fixed id seed), create the roles the quickstart's default_roles name
("viewer", "admin"), deploy 0.1.0's examples/quickstart as an inline program through the Automation
API into a fresh file backend, then save into the fixture directory:
- deployment.json: `pulumi stack export` (the CLI's own output, unedited);
- Pulumi.dev.yaml: the stack settings (encryptionsalt and the encrypted management key);
- emulator_state.json: the emulator's `GET /emulator/state` after the deployment;
- quickstart.py: a copy of 0.1.0's examples/quickstart/__main__.py (today's quickstart has grown);
- versions.json: the commit, package and CLI versions that wrote it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import requests
from pulumi import automation as auto

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "v0_1_0_quickstart"
COMMIT = "5bc0919"
STACK = "dev"
PROJECT = "descope-quickstart"  # 0.1.0's root Pulumi.yaml and `make demo`
PASSPHRASE = "compat-v0.1.0"  # test-only; committed with the fixture
PROJECT_ID = "P2emulator000000000000000000"  # 0.1.0's demo credentials (the emulator's defaults)
MANAGEMENT_KEY = "K2emulator"
ROLES = ("viewer", "admin")


def load_program(path: Path) -> Callable[[], None]:
    spec = importlib.util.spec_from_file_location("quickstart_v0_1_0", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    program: Callable[[], None] = module.program
    return program


def main(old_tree: Path) -> None:
    import pulumi_descope_dynamic

    # The package must be 0.1.0's, not this checkout's.
    assert Path(pulumi_descope_dynamic.__file__).resolve().is_relative_to(old_tree.resolve()), (
        "run with the 0.1.0 tree's venv python"
    )
    pulumi_bin = shutil.which("pulumi")
    assert pulumi_bin and shutil.which("pulumi-resource-pulumi-python"), "put `make pulumi-cli` on PATH"
    program_path = old_tree / "examples" / "quickstart" / "__main__.py"
    program = load_program(program_path)
    emulator = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "descope-emulator"),
            "--port",
            "0",
            "--seed",
            "0",
            "--project-id",
            PROJECT_ID,
            "--management-key",
            MANAGEMENT_KEY,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert emulator.stdout is not None
        url = emulator.stdout.readline().strip()
        assert url.startswith("http://"), url
        headers = {"Authorization": f"Bearer {PROJECT_ID}:{MANAGEMENT_KEY}"}
        for role in ROLES:  # as 0.1.0's demo.py seed_roles()
            requests.post(
                f"{url}/v1/mgmt/role/create",
                json={"name": role, "description": f"{role} (demo)"},
                headers=headers,
                timeout=10,
            ).raise_for_status()
        with tempfile.TemporaryDirectory() as root_text:
            root = Path(root_text)
            (root / "state").mkdir()
            (root / "work").mkdir()
            env_vars = {
                "PULUMI_BACKEND_URL": (root / "state").as_uri(),
                "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
                "PULUMI_SKIP_UPDATE_CHECK": "true",
                "PULUMI_HOME": str(root / "pulumi-home"),
                # The plugin must run 0.1.0's code: this interpreter (the project's own plugin
                # script reads PULUMI_DESCOPE_PYTHON, Pulumi's official one PULUMI_PYTHON_CMD).
                "PULUMI_DESCOPE_PYTHON": sys.executable,
                "PULUMI_PYTHON_CMD": sys.executable,
                "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
            }
            workspace = auto.LocalWorkspaceOptions(
                work_dir=str(root / "work"),
                pulumi_command=auto.PulumiCommand(root=str(Path(pulumi_bin).parent.parent)),
                project_settings=auto.ProjectSettings(name=PROJECT, runtime="python"),
                env_vars=env_vars,
            )
            stack = auto.create_stack(STACK, project_name=PROJECT, program=program, opts=workspace)
            stack.set_config("descope:projectId", auto.ConfigValue(PROJECT_ID))
            stack.set_config("descope:managementKey", auto.ConfigValue(MANAGEMENT_KEY, secret=True))
            stack.set_config("descope:baseUrl", auto.ConfigValue(url))
            stack.up(on_output=print, color="never")
            stack.preview(expect_no_changes=True, on_output=print, color="never")
            exported = subprocess.run(
                [pulumi_bin, "stack", "export", "--stack", STACK],
                cwd=root / "work",
                env={**os.environ, **env_vars},
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            cli_version = subprocess.run(
                [pulumi_bin, "version"], check=True, capture_output=True, text=True
            ).stdout.strip()
            FIXTURES.mkdir(parents=True, exist_ok=True)
            (FIXTURES / "deployment.json").write_text(exported)
            shutil.copyfile(root / "work" / f"Pulumi.{STACK}.yaml", FIXTURES / f"Pulumi.{STACK}.yaml")
        dump = requests.get(f"{url}/emulator/state", timeout=10).json()
        (FIXTURES / "emulator_state.json").write_text(json.dumps(dump, indent=2, sort_keys=True) + "\n")
        shutil.copyfile(program_path, FIXTURES / "quickstart.py")
        from importlib.metadata import version

        versions = {
            "commit": COMMIT,
            "pulumi-descope-dynamic": version("pulumi-descope-dynamic"),
            "pulumi (python sdk)": version("pulumi"),
            "pulumi cli": cli_version,
            "stack": STACK,
            "project": PROJECT,
            "passphrase": PASSPHRASE,
            "emulator url at export": url,
        }
        (FIXTURES / "versions.json").write_text(json.dumps(versions, indent=2) + "\n")
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
