"""README, "Use it in your infra repo": the block of shell commands runs as written, in a fresh
directory, with the package installed from a wheel built from this checkout (not editable).

The only changes made to the block, each needed to run it here: `PDD` (the user's clone) is the
wheel, so the requirement names it; the emulator's port 8900 becomes a free one; and `pulumi login
--local` becomes `pulumi login file://$HOME`, the same place for a user, because the CLI
resolves `--local` from the passwd database rather than $HOME and the test must not touch the
machine's ~/.pulumi. The shell has a fresh HOME and PULUMI_HOME, and PULUMI_CONFIG_PASSPHRASE set
(the README says `stack init` asks for it otherwise).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.support.cli import PASSPHRASE, REPO_ROOT, cli_env

pytestmark = pytest.mark.e2e

README_CHECKOUT = "~/src/pulumi-descope-dynamic"
README_PORT = "8900"
README_LOGIN = "pulumi login --local"
LOGIN_UNDER_HOME = 'pulumi login "file://$HOME"'
# What setuptools needs to build the wheel: the rest of the checkout stays out of the build.
WHEEL_SOURCES = ("pyproject.toml", "README.md", "provider", "sdk", "emulator")


def readme_block() -> str:
    readme = (REPO_ROOT / "README.md").read_text()
    section = re.search(
        r"<!-- infra-repo-steps: begin -->\n```sh\n(.*?)```\n<!-- infra-repo-steps: end -->", readme, re.S
    )
    assert section, "README.md lost its marked 'Use it in your infra repo' block"
    return section.group(1)


def build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name in WHEEL_SOURCES:
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(
                REPO_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
            )
        else:
            shutil.copy2(REPO_ROOT / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path / "wheels"),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "wheels").glob("pulumi_descope_dynamic-*.whl")
    return wheel


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.timeout(360)
def test_readme_steps_from_an_empty_directory_to_a_deployed_tenant(tmp_path: Path) -> None:
    block = readme_block()
    assert f"PDD={README_CHECKOUT} " in block and f"--port {README_PORT}" in block and README_LOGIN in block
    wheel = build_wheel(tmp_path)
    port = str(free_port())
    script = (
        block.replace(f"PDD={README_CHECKOUT} ", f"PDD={wheel} ")  # the requirement: file://<wheel>
        .replace(README_PORT, port)
        .replace(README_LOGIN, LOGIN_UNDER_HOME)
    )
    assert README_LOGIN not in script  # never the machine's ~/.pulumi

    workspace = tmp_path / "workspace"
    home = tmp_path / "home"
    workspace.mkdir()
    home.mkdir()
    env = cli_env(tmp_path / "unused-state", home / ".pulumi")
    for name in ("PULUMI_BACKEND_URL", "VIRTUAL_ENV", "PYTHONPATH"):
        env.pop(name, None)  # a user's shell: `pulumi login --local` decides the backend
    env |= {
        "HOME": str(home),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        # A fresh HOME would start an empty pip cache: keep the machine's.
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        # Byte-compiling every installed module costs seconds; Python compiles what it imports.
        "PIP_NO_COMPILE": "1",
    }
    transcript = tmp_path / "transcript.txt"
    with transcript.open("w") as sink:
        # A file, not a pipe: the emulator the block starts in the background would hold a pipe open.
        shell = subprocess.Popen(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=workspace,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            # That emulator is stopped with the shell's process group.
            start_new_session=True,
        )
    try:
        shell.wait(timeout=300)
        output = transcript.read_text()
        assert shell.returncode == 0, output[-6000:]
        # The last command, `pulumi stack output acme_id`, prints the deployed tenant's id.
        assert output.rstrip().splitlines()[-1] == "acme", output[-3000:]
        emulator = f"http://127.0.0.1:{port}"
        tenant = requests.get(
            f"{emulator}/v1/mgmt/tenant",
            params={"id": "acme"},
            headers={"Authorization": "Bearer P2emulator000000000000000000:K2emulator"},
            timeout=10,
        ).json()
        assert tenant["name"] == "Acme Corp" and tenant["selfProvisioningDomains"] == ["acme.com"]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(shell.pid, signal.SIGTERM)
        shell.wait(timeout=10)

    project = workspace / "descope-infra"
    installed = (
        project
        / ".venv"
        / "lib"
        / f"python{sys.version_info.major}.{sys.version_info.minor}"
        / "site-packages"
    )
    assert (
        installed / "pulumi_descope_dynamic" / "__init__.py"
    ).is_file()  # from the wheel, not a link to the checkout
    assert not list(installed.glob("__editable__*"))
    assert (
        home / ".pulumi" / "stacks" / "descope-infra" / "dev.json"
    ).exists()  # state where `login --local` said
    assert "secure:" in (project / "Pulumi.dev.yaml").read_text()
