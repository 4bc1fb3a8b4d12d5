"""Make a stack-state fixture of an older tree: its quickstart deployed by ITS code on the real Pulumi
CLI, then `pulumi stack export`. Run once per release (or landed main users run); the fixture is
committed and never regenerated: the point is state written by the old code. The tests
(tests/compat/test_stack_state_compat.py) never run the old code; this script is run by hand.

    git -C /work/main worktree add /tmp/old <commit>     # the old tree, outside this repository
    python3 -m venv /tmp/old/.venv && /tmp/old/.venv/bin/pip install -q -e '/tmp/old[test]'
    PATH="$(make -s pulumi-cli | tail -1):$PATH" \
        /tmp/old/.venv/bin/python tests/compat/make_state_fixture.py /tmp/old <fixture name>

Run with the OLD tree's venv python (checked): the program, the plugin (the provider) and the
emulator are all the old tree's. It does what the old tree's `make demo` (examples/demo.py) does,
with fixed names, a fixed passphrase and a fixed id seed:
- start the old tree's `descope-emulator --seed 0` with the emulator's default credentials;
- if the old examples/demo.py has a `seed_roles(url)` (0.1.0's: the roles "viewer" and "admin" its
  quickstart's default_roles name, created before the deployment), call it;
- deploy the old examples/quickstart/__main__.py's `program()` as an inline program through the
  Automation API into a fresh file backend, the plugin running this (old) interpreter; every config
  secret the program reads (`Config().get_secret("x")` / `require_secret("x")`, e.g. the
  quickstart's `oidcClientSecret`) is set with `--secret` to a fixed recognisable value;
- `pulumi preview --expect-no-changes`, then save into tests/compat/fixtures/<fixture name>/:
  - deployment.json: `pulumi stack export` (the CLI's own output, unedited);
  - Pulumi.dev.yaml: the stack settings (encryption salt, encrypted management key and secrets);
  - emulator_state.json: the emulator's `GET /emulator/state` after the deployment;
  - quickstart.py: a copy of the old examples/quickstart/__main__.py;
  - versions.json: the commit, package, SDK and CLI versions, stack, project, passphrase, the
    emulator address recorded in the state, and the names of the config secrets set.

How each fixture was made (exact commands):
- v0_1_0_quickstart (release 0.1.0, commit 5bc0919, CLI v3.274.1), first made by this script's
  predecessor make_v0_1_0_state.py, which did exactly what this one does for that tree (its
  quickstart reads no config secret, its demo.py seeds the roles):
      git -C /work/main worktree add /tmp/v010 5bc0919
      python3 -m venv /tmp/v010/.venv && /tmp/v010/.venv/bin/pip install -q -e '/tmp/v010[test]'
      PATH="$(make -s pulumi-cli | tail -1):$PATH" /tmp/v010/.venv/bin/python \\
          tests/compat/make_state_fixture.py /tmp/v010 v0_1_0_quickstart --passphrase compat-v0.1.0
- main_f33eac8_quickstart (the last landed main before the issue-21 restructuring, commit f33eac8,
  still versioned 0.1.0; what users who install from a clone run):
      git -C /work/main worktree add /tmp/f33 f33eac8
      python3 -m venv /tmp/f33/.venv && /tmp/f33/.venv/bin/pip install -q -e '/tmp/f33[test]'
      PATH="$(make -s pulumi-cli | tail -1):$PATH" /tmp/f33/.venv/bin/python \\
          tests/compat/make_state_fixture.py /tmp/f33 main_f33eac8_quickstart
- v0_2_0_quickstart (release 0.2.0, commit cd0321f; made again there: the first 0.2.0 candidate did not land):
      git -C /work/main worktree add /tmp/v020 cd0321f
      python3 -m venv /tmp/v020/.venv && /tmp/v020/.venv/bin/pip install -q -e '/tmp/v020[test]'
      PATH="$(make -s pulumi-cli | tail -1):$PATH" /tmp/v020/.venv/bin/python \\
          tests/compat/make_state_fixture.py /tmp/v020 v0_2_0_quickstart --passphrase compat-v0.2.0
- v0_2_1_quickstart (release 0.2.1, commit de18118, the last code change of the release):
      git -C /work/main worktree add /tmp/v021 de18118
      python3 -m venv /tmp/v021/.venv && /tmp/v021/.venv/bin/pip install -q -e '/tmp/v021[test]'
      PATH="$(make -s pulumi-cli | tail -1):$PATH" /tmp/v021/.venv/bin/python \\
          tests/compat/make_state_fixture.py /tmp/v021 v0_2_1_quickstart --passphrase compat-v0.2.1

Made again, a fixture differs only in what is random by nature (the encryption salt and
ciphertexts, the emulator's port, timestamps); names, ids (seeded), resources and inputs are the same.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import requests
from pulumi import automation as auto

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STACK = "dev"
PROJECT = "descope-quickstart"  # the root Pulumi.yaml's project name and `make demo`'s
PROJECT_ID = "P2emulator000000000000000000"  # the demo's credentials (the emulator's defaults)
MANAGEMENT_KEY = "K2emulator"
# Config secrets the program reads: Config().get_secret("x") / require_secret("x").
CONFIG_SECRET = re.compile(r"""(?:get|require)_secret\(\s*["']([A-Za-z0-9_:.-]+)["']""")
CONFIG_PLAIN = re.compile(r"""\.(?:get|require)(?:_int|_bool|_float|_object)?\(\s*["']""")


def load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def secret_value(name: str, fixture: str) -> str:
    """A fixed, recognisable plain text: the test looks for it where it must not be."""
    return f"{name}-plaintext-{fixture}"


def short_commit(tree: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short=7", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def main(old_tree: Path, fixture: str, passphrase: str, force: bool) -> None:
    import pulumi_descope_dynamic

    old_tree = old_tree.resolve()
    # The package must be the old tree's, not this checkout's.
    assert Path(pulumi_descope_dynamic.__file__).resolve().is_relative_to(old_tree), (
        "run with the old tree's venv python"
    )
    target = FIXTURES / fixture
    if target.exists() and not force:
        raise SystemExit(f"{target} exists: a fixture is made once (--force to make it again)")
    pulumi_bin = shutil.which("pulumi")
    assert pulumi_bin and shutil.which("pulumi-resource-pulumi-python"), "put `make pulumi-cli` on PATH"
    program_path = old_tree / "examples" / "quickstart" / "__main__.py"
    source = program_path.read_text()
    secrets = sorted(set(CONFIG_SECRET.findall(source)))
    if CONFIG_PLAIN.search(source):
        raise SystemExit(f"{program_path} reads plain config: give it a fixed value here first")
    program: Callable[[], None] = load_module(program_path, f"quickstart_{fixture}").program
    demo = load_module(old_tree / "examples" / "demo.py", f"demo_{fixture}")
    emulator = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "descope-emulator"),
            *("--port", "0", "--seed", "0"),
            *("--project-id", PROJECT_ID, "--management-key", MANAGEMENT_KEY),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert emulator.stdout is not None
        url = emulator.stdout.readline().strip()
        assert url.startswith("http://"), url
        if hasattr(demo, "seed_roles"):  # 0.1.0's demo created the roles its quickstart names
            demo.seed_roles(url)
        with tempfile.TemporaryDirectory() as root_text:
            root = Path(root_text)
            (root / "state").mkdir()
            (root / "work").mkdir()
            env_vars = {
                "PULUMI_BACKEND_URL": (root / "state").as_uri(),
                "PULUMI_CONFIG_PASSPHRASE": passphrase,
                "PULUMI_SKIP_UPDATE_CHECK": "true",
                "PULUMI_HOME": str(root / "pulumi-home"),
                # The plugin must run the old code: this interpreter (the project's own plugin
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
            for name in secrets:
                value = auto.ConfigValue(secret_value(name, fixture), secret=True)
                stack.set_config(f"{PROJECT}:{name}", value)
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
            target.mkdir(parents=True, exist_ok=True)
            (target / "deployment.json").write_text(exported)
            shutil.copyfile(root / "work" / f"Pulumi.{STACK}.yaml", target / f"Pulumi.{STACK}.yaml")
        dump = requests.get(f"{url}/emulator/state", timeout=10).json()
        (target / "emulator_state.json").write_text(json.dumps(dump, indent=2, sort_keys=True) + "\n")
        shutil.copyfile(program_path, target / "quickstart.py")
        versions = {
            "commit": short_commit(old_tree),
            "pulumi-descope-dynamic": version("pulumi-descope-dynamic"),
            "pulumi (python sdk)": version("pulumi"),
            "pulumi cli": cli_version,
            "stack": STACK,
            "project": PROJECT,
            "passphrase": passphrase,
            "emulator url at export": url,
            "config secrets": {name: secret_value(name, fixture) for name in secrets},
        }
        (target / "versions.json").write_text(json.dumps(versions, indent=2) + "\n")
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("old_tree", type=Path, help="a checkout of the old commit, with its own .venv")
    parser.add_argument("fixture", help="directory name under tests/compat/fixtures/")
    parser.add_argument("--passphrase", help="the stack's passphrase (test-only; default compat-<fixture>)")
    parser.add_argument("--force", action="store_true", help="replace an existing fixture")
    args = parser.parse_args()
    main(args.old_tree, args.fixture, args.passphrase or f"compat-{args.fixture}", args.force)
