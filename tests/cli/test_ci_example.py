"""examples/ci/descope-drift.yml stays in step with the command: its `pulumi-descope drift` line
parses, and its step-summary script renders a real report."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from pulumi_descope_dynamic.cli import build_parser
from pulumi_descope_dynamic.cli.drift import Managed, report
from pulumi_descope_dynamic.cli.kinds import KINDS, TENANTS
from pulumi_descope_dynamic_provider.api.tenants import Tenant

WORKFLOW = Path(__file__).resolve().parents[2] / "examples" / "ci" / "descope-drift.yml"


def drift_script() -> str:
    workflow: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text())
    [step] = [s for s in workflow["jobs"]["drift"]["steps"] if s.get("name") == "Detect drift"]
    script: str = step["run"]
    return script


def test_the_workflow_runs_the_drift_command_on_a_schedule() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow[True]["schedule"][0]["cron"]  # PyYAML reads the `on:` key as True
    [line] = [line for line in drift_script().splitlines() if line.startswith("pulumi-descope drift")]
    words = shlex.split(line.split(">")[0])
    args = build_parser().parse_args(words[1:])
    assert args.command == "drift" and args.json and args.stack == ["prod"]


def test_the_step_summary_script_renders_a_report(tmp_path: Path) -> None:
    lines = drift_script().splitlines()
    start = next(n for n, line in enumerate(lines) if "<<'EOF'" in line)
    end = next(n for n, line in enumerate(lines) if n > start and line == "EOF")
    summary = "\n".join(lines[start + 1 : end])
    managed = [
        Managed(
            "prod",
            TENANTS,
            "urn:pulumi:prod::p::pulumi-python:dynamic/descope:Tenant::acme",
            "acme",
            {"name": "Acme"},
            {"name": "Acme", "managed_inputs": ["name"]},
        ),
        Managed(
            "prod",
            TENANTS,
            "urn:pulumi:prod::p::pulumi-python:dynamic/descope:Tenant::gone",
            "gone",
            {"name": "Gone"},
            {"name": "Gone", "managed_inputs": ["name"]},
        ),
    ]
    live = {"tenants": [Tenant(id="acme", name="Acme Renamed"), Tenant(id="new", name="New")]}
    found = report("P2x", ["prod"], KINDS, managed, live, requests=3)
    (tmp_path / "drift.json").write_text(json.dumps(found))
    done = subprocess.run(
        [sys.executable, "-c", summary], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert "1 drifted field(s), 1 gone, 1 unmanaged, of 2 managed objects" in done.stdout
    assert (
        '| drifted | Tenant | tenant \'acme\' (Acme) | prod | name | `"Acme"` | `"Acme Renamed"` |'
        in done.stdout
    )
    assert "| gone | Tenant |" in done.stdout and "| unmanaged | Tenant | tenant 'new' (New) |" in done.stdout
