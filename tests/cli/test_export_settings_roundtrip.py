"""Round trip of tenant settings on the real CLI: export a project whose tenants have their own
session policies (`settings_seed`), `pulumi up` what the export wrote (the Python program, and the
YAML file in a copy of examples/tenants-from-yaml): every object taken over with zero write requests
to Descope (a TenantSettings whose values are already live writes nothing), then `pulumi preview
--expect-no-changes` passes. tests/cli/test_export_roundtrip.py does the same for 200 tenants whose
settings are a new tenant's (not exported)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from descope_emulator import EmulatorServer

from tests.support.cli import PulumiProject, changes
from tests.support.live_project import settings_seed, write_requests

pytestmark = pytest.mark.e2e

CLI = str(Path(sys.executable).parent / "pulumi-descope")


def export(emulator: EmulatorServer, out: Path, *extra: str) -> None:
    env = {
        "DESCOPE_PROJECT_ID": emulator.project_id,
        "DESCOPE_MANAGEMENT_KEY": emulator.management_key,
        "DESCOPE_BASE_URL": emulator.url,
        "PATH": str(Path(sys.executable).parent),
    }
    done = subprocess.run(
        [CLI, "export", "--quiet", "--out", str(out), *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def adopt_without_a_write(project: PulumiProject, emulator: EmulatorServer, declared: int) -> None:
    """`pulumi up` of the exported stack "dev" (its config as exported, plus the key), zero writes,
    then a clean preview."""
    project.run("stack", "init", "dev")
    project.run("config", "set", "--secret", "descope:managementKey", emulator.management_key)
    before = emulator.state.dump()
    up = project.run("up", "--yes")
    assert changes(up) == {"create": declared + 1}, project.transcript()  # and the stack itself
    assert write_requests(emulator.stats()) == {}
    assert emulator.state.dump() == before
    project.run("preview", "--expect-no-changes")
    assert write_requests(emulator.stats()) == {}


def test_python_export_of_tenant_settings_adopts_without_a_write(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    emulator.state.load(settings_seed())
    out = tmp_path / "program"
    export(emulator, out)
    (out / "venv").symlink_to(sys.prefix, target_is_directory=True)  # Pulumi.yaml's virtualenv
    text = (out / "__main__.py").read_text()
    assert text.count("descope.TenantSettings(") == 3 and text.count("descope.Tenant(") == 4
    adopt_without_a_write(PulumiProject.at(out, tmp_path), emulator, declared=7)


def test_yaml_export_of_tenant_settings_drives_the_example_without_a_write(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    emulator.state.load(settings_seed())
    export(emulator, tmp_path / "yaml", "--format", "yaml")
    project = PulumiProject.from_example(
        tmp_path, "examples/tenants-from-yaml", cwd="examples/tenants-from-yaml"
    )
    for name in ("tenants.dev.yaml", "Pulumi.dev.yaml"):
        shutil.copy2(tmp_path / "yaml" / name, project.dir / name)
    adopt_without_a_write(project, emulator, declared=7)
