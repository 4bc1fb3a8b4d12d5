"""Round trip on the real engine: export a live project (the emulator, seeded as a console would
leave it: 200 tenants with parents, domains, custom attributes and default roles, project and tenant
roles, permissions), `pulumi up` the generated program: every object adopted with zero write
requests to Descope, then `pulumi preview --expect-no-changes` passes. About 35-45 s on 2 cores (the
engine's `up` of 216 resources is most of it); bench/export_requests.py measures the export alone.
The YAML export drives the examples/tenants-from-yaml program the same way."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from descope_emulator import EmulatorServer

from tests.support.engine import new_stack
from tests.support.examples import load_example_program
from tests.support.live_project import project_seed, write_requests

pytestmark = pytest.mark.e2e

ROUNDTRIP_TENANTS = 200
CLI = str(Path(sys.executable).parent / "pulumi-descope")


def export(emulator: EmulatorServer, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        "DESCOPE_PROJECT_ID": emulator.project_id,
        "DESCOPE_MANAGEMENT_KEY": emulator.management_key,
        "DESCOPE_BASE_URL": emulator.url,
        "PATH": str(Path(sys.executable).parent),
    }
    return subprocess.run(
        [CLI, "export", "--out", str(out), *extra], env=env, capture_output=True, text=True, check=False
    )


def load_program(main_py: Path) -> Callable[[], None]:
    spec = importlib.util.spec_from_file_location(f"exported_{main_py.parent.name}", main_py)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    program: Callable[[], None] = module.program
    return program


def test_export_then_up_adopts_everything_without_a_write_and_previews_clean(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    seed = project_seed(ROUNDTRIP_TENANTS)
    emulator.state.load(seed)
    before = emulator.state.dump()

    done = export(emulator, tmp_path / "program")
    assert done.returncode == 0, done.stderr
    # One list request per type, whatever the number of tenants; SSO configurations, which
    # Descope lists per tenant only, one per tenant.
    assert emulator.stats()["requests"] == {
        "GET /v1/mgmt/tenant/all": {"200": 1},
        "GET /v1/mgmt/role/all": {"200": 1},
        "GET /v1/mgmt/permission/all": {"200": 1},
        "POST /v1/mgmt/accesskey/search": {"200": 1},
        "GET /v2/mgmt/sso/settings/all": {"200": ROUNDTRIP_TENANTS},
    }
    assert sorted(p.name for p in (tmp_path / "program").iterdir()) == [
        "Pulumi.dev.yaml",
        "Pulumi.yaml",
        "__main__.py",
        "requirements.txt",
    ]

    stack = new_stack(
        load_program(tmp_path / "program" / "__main__.py"),
        tmp_path / "engine",
        base_url=emulator.url,
        project_id=emulator.project_id,
        management_key=emulator.management_key,
        # Adoption looks each object up (one request each): the test does not wait for the budget.
        extra_config={"descope:rateLimit": "off"},
    )
    up = stack.up()
    declared = len(seed["tenants"]) + len(seed["roles"]) + len(seed["permissions"])
    assert up.summary.resource_changes == {"create": declared + 1}  # and the stack itself
    assert write_requests(emulator.stats()) == {}
    assert emulator.state.dump() == before

    stack.preview(expect_no_changes=True)
    assert write_requests(emulator.stats()) == {}


def test_yaml_export_drives_the_tenants_from_yaml_example_without_a_write(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    seed = project_seed(40)
    emulator.state.load(seed)
    before = emulator.state.dump()
    done = export(emulator, tmp_path / "yaml", "--format", "yaml")
    assert done.returncode == 0, done.stderr
    example = load_example_program("examples/tenants-from-yaml/__main__.py")
    tenants_file = tmp_path / "yaml" / "tenants.dev.yaml"
    stack = new_stack(
        lambda: example(tenants_file),  # type: ignore[call-arg]
        tmp_path / "engine",
        base_url=emulator.url,
        project_id=emulator.project_id,
        management_key=emulator.management_key,
        extra_config={"descope:rateLimit": "off"},
    )
    assert stack.up().summary.resource_changes == {"create": len(seed["tenants"]) + 1}
    assert write_requests(emulator.stats()) == {}
    assert emulator.state.dump() == before
    stack.preview(expect_no_changes=True)
