"""The test-only language host (tests/support/language_host) beyond what every `up` exercises: how
the CLI starts and stops it, and the RPCs behind `pulumi about` and `pulumi install`."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import PulumiProject, cli_env, pulumi_yaml

pytestmark = pytest.mark.e2e

PROGRAM = "import pulumi\n"


def test_the_launcher_prints_the_port_first_and_the_host_exits_cleanly_on_sigint(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "state", tmp_path / "home")
    host = subprocess.Popen(
        ["pulumi-language-python", "127.0.0.1:1"], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert host.stdout is not None
        assert host.stdout.readline().strip().isdigit()
        host.send_signal(signal.SIGINT)
        assert host.wait(timeout=30) == 0
    finally:
        if host.poll() is None:
            host.kill()


def test_the_launcher_without_its_variables_names_them_and_the_real_host(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "state", tmp_path / "home")
    del env["PULUMI_TEST_LANGUAGE_HOST"]
    result = subprocess.run(["pulumi-language-python"], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "PULUMI_TEST_LANGUAGE_HOST" in result.stderr and "pulumi.com/docs/install" in result.stderr


def test_pulumi_about_reports_the_projects_python_and_packages(tmp_path: Path) -> None:
    project = PulumiProject.create(tmp_path, PROGRAM)
    about = project.run("about")
    # About: the project's interpreter, found through Pulumi.yaml's virtualenv.
    assert (
        f"executable='{Path(sys.prefix) / 'bin' / 'python'}' version='{sys.version.split()[0]}'"
        in about.output
    )
    assert "pulumi-descope-dynamic" in about.output  # GetProgramDependencies: the virtualenv's packages


def test_pulumi_install_installs_requirements_into_the_virtualenv_or_says_to_create_it(
    tmp_path: Path,
) -> None:
    project = PulumiProject.create(tmp_path, PROGRAM)
    # A requirement the virtualenv already has: pip resolves it without downloading anything.
    (project.dir / "requirements.txt").write_text("pulumi-descope-dynamic\n")
    installed = project.run("install")
    assert "Requirement already satisfied: pulumi-descope-dynamic" in installed.output

    (project.dir / "Pulumi.yaml").write_text(pulumi_yaml("descope-e2e", "missing-venv"))
    refused = project.run("install", check=False)
    assert refused.code != 0
    assert "python3 -m venv" in refused.output and "missing-venv" in refused.output
