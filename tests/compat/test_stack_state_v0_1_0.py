"""A stack deployed by release 0.1.0 keeps working after the upgrade, on the real Pulumi CLI: import
its `pulumi stack export`, then `pulumi refresh` and `pulumi preview --expect-no-changes` of the
0.1.0 quickstart program with today's code, without a single write to Descope.

The fixture (fixtures/v0_1_0_quickstart/, made once by make_v0_1_0_state.py with the 0.1.0 code) is:
the deployment as `pulumi stack export` printed it, the stack settings file (its passphrase salt and
encrypted management key), the emulator's state after that deployment, and 0.1.0's quickstart
program. Every Tenant in the deployment carries 0.1.0's pickled provider (`__provider`), which the
plugin unpickles to serve the refresh: a moved or renamed `TenantProvider`, or a blob format it no
longer accepts, makes this test fail.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from descope_emulator import EmulatorServer

from tests.support.cli import PulumiProject, changes

FIXTURES = Path(__file__).parent / "fixtures" / "v0_1_0_quickstart"
VERSIONS = json.loads((FIXTURES / "versions.json").read_text())
STACK = VERSIONS["stack"]
PROJECT = VERSIONS["project"]
PASSPHRASE = VERSIONS["passphrase"]
OLD_BASE_URL = VERSIONS["emulator url at export"]
TENANT_TYPE = "pulumi-python:dynamic/descope:Tenant"
DEFAULT_PROVIDER_TYPE = "pulumi:providers:pulumi-python"
# Descope's read operations that are POSTs; every other POST (create, update, patch, delete) writes.
READ_POSTS = ("/search", "/load", "/all")

pytestmark = pytest.mark.e2e


def fixture_deployment() -> dict[str, Any]:
    exported: dict[str, Any] = json.loads((FIXTURES / "deployment.json").read_text())
    return exported


def with_base_url(exported: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The one edit to the exported state: the engine recorded the stack config, including the
    emulator's address of the day (a random port), as the default provider's inputs and outputs, and
    a refresh configures the provider from them. A real stack keeps its Descope URL; only this
    address changes, so nothing else is touched."""
    rewritten = copy.deepcopy(exported)
    providers = [r for r in rewritten["deployment"]["resources"] if r["type"] == DEFAULT_PROVIDER_TYPE]
    assert len(providers) == 1
    for bag in ("inputs", "outputs"):
        assert providers[0][bag]["descope:baseUrl"] == OLD_BASE_URL
        providers[0][bag]["descope:baseUrl"] = base_url
    return rewritten


def write_requests(emulator: EmulatorServer) -> dict[str, dict[str, int]]:
    stats = requests.get(f"{emulator.url}/emulator/stats", timeout=10).json()
    routes: dict[str, dict[str, int]] = stats["requests"]
    return {
        route: counts
        for route, counts in routes.items()
        if not route.startswith("GET ") and not route.endswith(READ_POSTS)
    }


def tenant_states(exported: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """urn -> (id, inputs without the provider blob) of every Tenant."""
    return {
        r["urn"]: (r["id"], {k: v for k, v in r["inputs"].items() if k != "__provider"})
        for r in exported["deployment"]["resources"]
        if r["type"] == TENANT_TYPE
    }


@pytest.fixture
def seeded_emulator() -> Iterator[EmulatorServer]:
    """An emulator holding exactly what the 0.1.0 deployment left in Descope (roles included)."""
    with EmulatorServer() as server:
        server.state.load(json.loads((FIXTURES / "emulator_state.json").read_text()))
        yield server


def import_v0_1_0_stack(root: Path, emulator: EmulatorServer) -> PulumiProject:
    """The 0.1.0 quickstart program in a new project, its stack imported as a user moves a stack."""
    project = PulumiProject.create(
        root,
        (FIXTURES / "quickstart.py").read_text(),
        name=PROJECT,
        env={"PULUMI_CONFIG_PASSPHRASE": PASSPHRASE},
    )
    # The 0.1.0 stack's settings file: its passphrase salt decrypts the management key it holds and
    # the secrets of the deployment.
    shutil.copyfile(FIXTURES / f"Pulumi.{STACK}.yaml", project.dir / f"Pulumi.{STACK}.yaml")
    project.run("stack", "init", STACK)
    settings = (project.dir / f"Pulumi.{STACK}.yaml").read_text()
    assert settings == (FIXTURES / f"Pulumi.{STACK}.yaml").read_text(), "stack init kept the 0.1.0 salt"
    # The stack config names the emulator of the day too (see with_base_url).
    project.run("config", "set", "descope:baseUrl", emulator.url)
    exported = root / "deployment.json"
    exported.write_text(json.dumps(with_base_url(fixture_deployment(), emulator.url)))
    project.run("stack", "import", "--file", str(exported))
    return project


def test_a_0_1_0_quickstart_stack_refreshes_and_previews_clean_after_the_upgrade(
    tmp_path: Path, seeded_emulator: EmulatorServer
) -> None:
    before = seeded_emulator.state.dump()
    project = import_v0_1_0_stack(tmp_path, seeded_emulator)

    refresh = project.run("refresh", "--yes", "--skip-preview")  # raises unless it succeeded
    # The refresh read every tenant back as 0.1.0 recorded it: nothing dropped, changed or re-keyed.
    assert changes(refresh) == {"same": 6}, refresh.output
    refreshed = json.loads(project.export())
    assert tenant_states(refreshed) == tenant_states(fixture_deployment())

    preview = project.run("preview", "--expect-no-changes")
    assert changes(preview) == {"same": 6}, preview.output

    assert write_requests(seeded_emulator) == {}
    assert seeded_emulator.state.dump() == before
    # Not vacuous: the refresh did read the tenants from this emulator.
    routes = requests.get(f"{seeded_emulator.url}/emulator/stats", timeout=10).json()["requests"]
    assert any(route.startswith(("GET /v1/mgmt/tenant", "POST /v1/mgmt/tenant")) for route in routes)
