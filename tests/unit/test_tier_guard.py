"""The e2e tier guard (tests/support/tiers.py): a test that reaches the Pulumi CLI through the helpers
fails unless it carries the `e2e` marker, so forgetting the marker cannot slip a CLI test into
`pytest -m "not e2e"`. Proved on an inner pytest session whose tests call every way in; no process
is started (the CLI is "found" in /nowhere and process creation is replaced)."""

from __future__ import annotations

import pytest

from tests.support import tiers

pytest_plugins = ["pytester"]

# Shared by both inner modules: no real CLI, and a started process is a recognisable error.
SETUP = '''
import subprocess

import pytest

from tests.support import cli, interrupt


class Started(Exception):
    """What starting a process raises here: the guard let the call through."""


@pytest.fixture(autouse=True)
def no_real_cli(monkeypatch):
    monkeypatch.setattr(cli.shutil, "which", lambda tool: f"/nowhere/{tool}")

    def ran(command, **kwargs):
        return subprocess.CompletedProcess(command, 0, "", "")

    def started(command, **kwargs):
        raise Started(command)

    monkeypatch.setattr(cli.subprocess, "run", ran)
    monkeypatch.setattr(interrupt.subprocess, "Popen", started)


@pytest.fixture
def project(tmp_path):
    return cli.PulumiProject.create(tmp_path / "fixture", "")


def bare(tmp_path):
    """A project made without cli_env, so that run() itself must check."""
    return cli.PulumiProject(tmp_path, {}, tmp_path)


def test_bin_dir():
    assert cli.pulumi_bin_dir() == "/nowhere"


def test_cli_env(tmp_path):
    assert cli.cli_env(tmp_path / "state", tmp_path / "home")["PATH"].startswith("/nowhere")


def test_run(tmp_path):
    assert bare(tmp_path).run("stack", "ls").code == 0


def test_project_from_a_fixture(project):
    assert project.env["PATH"].startswith("/nowhere")


def test_killed_up(tmp_path):
    with pytest.raises(Started):
        interrupt.kill_up_when_held(bare(tmp_path), None)


def test_interrupted_up(tmp_path):
    with pytest.raises(Started):
        interrupt.interrupt_up_when_held(bare(tmp_path), None)
'''
WAYS_IN = [
    "test_bin_dir",
    "test_cli_env",
    "test_run",
    "test_project_from_a_fixture",
    "test_killed_up",
    "test_interrupted_up",
]


def test_a_cli_test_without_the_marker_fails_naming_the_fix_and_with_it_passes(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini("[pytest]\nmarkers =\n    e2e: drives the real Pulumi CLI\n")
    pytester.makepyfile(test_unmarked=SETUP, test_marked=SETUP + "\npytestmark = pytest.mark.e2e\n")
    recorder = pytester.inline_run("-p", "tests.support.tiers", "-p", "no:cacheprovider")

    passed, skipped, failed = recorder.listoutcomes()
    assert sorted(report.nodeid for report in passed) == sorted(f"test_marked.py::{t}" for t in WAYS_IN)
    assert not skipped
    assert sorted(report.nodeid for report in failed) == sorted(f"test_unmarked.py::{t}" for t in WAYS_IN)
    for report in failed:
        message = report.longreprtext
        assert f"{report.nodeid} " in message and "which only tests marked 'e2e' may do" in message, message
        assert "add `pytestmark = pytest.mark.e2e` to its module" in message, message
    # A project made in a fixture fails in setup: the guard knows the test before its fixtures run.
    [in_fixture] = [report for report in failed if report.nodeid.endswith("from_a_fixture")]
    assert in_fixture.when == "setup"


def test_outside_a_test_the_helpers_are_not_guarded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmarks (bench/, through tests/support/engine.py) find the CLI with no test running."""
    with pytest.raises(pytest.fail.Exception, match="only tests marked 'e2e'"):
        tiers.require_e2e("looks for the Pulumi CLI")  # this very test is not marked
    monkeypatch.setattr(tiers, "_running", None)
    tiers.require_e2e("looks for the Pulumi CLI")
