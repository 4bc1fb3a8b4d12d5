"""What a plugin process and a program load to serve tenants (issue 28: every `pulumi preview`,
`up` and `refresh` starts a new plugin process and a new program, so their imports are paid per
operation). The plugin is the real `python -m pulumi.dynamic` process, asked by Python's own import
log (`PYTHONPROFILEIMPORTTIME`) what it imported."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pulumi_descope_dynamic as descope
import pytest
from descope_emulator import EmulatorServer
from pulumi import _types
from pulumi_descope_dynamic.tenant import _PROVIDER

from tests.harness import CLEAN_ENV, DiffChanges, dynamic_type, urn_for
from tests.harness.fixtures import PluginFactory

URN = urn_for(dynamic_type("descope", "Tenant"), "acme")
# Loaded only once a request is sent: the HTTP stack and the client-side rate budget.
REQUEST_TIME = ("requests", "urllib3", "pyrate_limiter")


# Loaded only once a client is built (a callback that speaks to Descope): every API area's models.
CLIENT_TIME = "pulumi_descope_dynamic_provider.api.client"
CATALOGUE = "pulumi_descope_dynamic_provider.catalogue"  # every resource's provider


def imported(import_log: str) -> set[str]:
    """Top-level names of the modules in a `-X importtime` log, and our own modules by full name."""
    names = {match[1] for match in re.finditer(r"^import time:.*\|\s*(\S+)$", import_log, re.M)}
    return {name.split(".")[0] for name in names} | {n for n in names if n.startswith("pulumi_descope")}


def test_a_preview_of_tenants_loads_no_http_stack_and_a_refresh_does(
    running_plugin: PluginFactory, emulator: EmulatorServer
) -> None:
    config = {
        "descope:projectId": emulator.project_id,
        "descope:managementKey": emulator.management_key,
        "descope:baseUrl": emulator.url,
    }
    secret_keys = ["descope:managementKey"]
    with running_plugin(_PROVIDER, config=config, secret_keys=secret_keys, env=CLEAN_ENV) as plugin:
        inputs = plugin.check(URN, {}, {"name": "Acme", "tenant_id": "acme"}).inputs
        created = plugin.create(URN, inputs)

    env = {**CLEAN_ENV, "PYTHONPROFILEIMPORTTIME": "1"}
    with running_plugin(_PROVIDER, config=config, secret_keys=secret_keys, env=env) as plugin:
        news = plugin.check(URN, inputs, inputs, preview=True).inputs
        diff = plugin.diff(created.id, URN, created.properties, news, old_inputs=inputs, preview=True)
        assert diff.changes is DiffChanges.NONE
        previewed = imported(plugin.stderr())
        assert "pulumi_descope_dynamic_provider" in previewed  # the log is read right
        assert previewed.isdisjoint(REQUEST_TIME), sorted(previewed & set(REQUEST_TIME))
        assert CLIENT_TIME not in previewed

        assert plugin.read(created.id, URN, created.properties, inputs).id == "acme"
        assert {*REQUEST_TIME, CLIENT_TIME} <= imported(plugin.stderr())


def test_a_program_of_tenants_loads_no_other_resource_module() -> None:
    probe = (
        "import sys\n"
        "import pulumi_descope_dynamic as descope\n"
        "descope.Tenant, descope.TenantArgs\n"
        "print(sorted(m for m in sys.modules if m.startswith('pulumi_descope_dynamic.')))\n"
        f"print(any(m in sys.modules for m in ({CLIENT_TIME!r}, {CATALOGUE!r})))\n"
        "descope.User\n"
        "print('pulumi_descope_dynamic.user' in sys.modules)\n"
        # As when the package imported every module: a resource module is an attribute of it.
        "print(descope.tenant_settings.SsoSetupSuiteArgs.__name__, 'importlib' in dir(descope))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    loaded, client_or_catalogue, user_after, module_attribute = result.stdout.splitlines()
    assert loaded == "['pulumi_descope_dynamic._resource', 'pulumi_descope_dynamic.tenant']"
    assert client_or_catalogue == "False"  # a program builds no client and needs no other provider
    assert user_after == "True"
    assert module_attribute == "SsoSetupSuiteArgs False"


def test_type_checkers_still_see_a_misspelt_resource_name(tmp_path: Path) -> None:
    """The lazy `__getattr__` is hidden from type checkers: `descope.Tennant` stays an error."""
    program = tmp_path / "program.py"
    program.write_text(
        "import pulumi_descope_dynamic as descope\n\n"
        "descope.Tenant('acme', name='Acme')\n"
        "descope.Tennant('acme', name='Acme')\n"
    )
    root = Path(__file__).resolve().parents[2]  # the editable install's import hook is not mypy's
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(program),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        env={**os.environ, "MYPYPATH": f"{root / 'sdk'}:{root / 'provider'}"},
    )
    assert 'program.py:4: error: Module has no attribute "Tennant"' in run.stdout, run.stdout
    assert "Found 1 error" in run.stdout, run.stdout


@pytest.mark.parametrize("name", [name for name in descope.__all__ if not name.endswith("Args")])
def test_resource_classes_hold_their_output_types_evaluated(name: str) -> None:
    """pulumi reads a resource class's annotations at every registration; strings would be compiled
    again each time (`from __future__ import annotations` in the generated modules)."""
    cls = getattr(descope, name)
    annotations = inspect.get_annotations(cls)
    assert annotations and not [key for key, hint in annotations.items() if isinstance(hint, str)]
    if name == "Tenant":
        # What the types are for: the engine sends numbers as floats, pulumi casts an int output back.
        assert _types.resource_types(cls)["created_time"] is int
